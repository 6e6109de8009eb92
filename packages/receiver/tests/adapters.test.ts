// The HTTP adapters: raw body in, the right status out. Deduplication itself
// is covered against PostgreSQL in the inbox tests; the memory inbox keeps
// these about HTTP.
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createHmac, randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFetchHandler,
  createMemoryInbox,
  createNodeHandler,
  MethodNotAllowedError,
  type ReceiverErrorContext,
  type ReceiverOptions,
  type VerifiedWebhook,
} from "../src/index.js";

const secret = `whsec_${randomBytes(24).toString("base64")}`;

function signedHeaders(body: string, id = `msg_${randomBytes(8).toString("hex")}`): Record<string, string> {
  const now = new Date();
  return {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, now, body),
  };
}

interface Harness {
  options: ReceiverOptions<undefined>;
  handled: VerifiedWebhook[];
  errors: Array<{ error: unknown; context: ReceiverErrorContext }>;
  failNext: { value: boolean };
}

function harness(): Harness {
  const handled: VerifiedWebhook[] = [];
  const errors: Harness["errors"] = [];
  const failNext = { value: false };
  return {
    handled,
    errors,
    failNext,
    options: {
      secrets: secret,
      inbox: createMemoryInbox(),
      maxBodyBytes: 1024,
      handle: (event) => {
        if (failNext.value) {
          failNext.value = false;
          return Promise.reject(new Error("handler failed"));
        }
        handled.push(event);
        return Promise.resolve();
      },
      onError: (error, context) => errors.push({ error, context }),
    },
  };
}

describe("node:http adapter", () => {
  const h = harness();
  let server: Server;
  let port: number;

  beforeAll(async () => {
    const handler = createNodeHandler(h.options);
    server = createServer((req, res) => {
      handler(req, res).catch((error: unknown) => {
        res.writeHead(500).end();
        throw error;
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  async function post(body: string, headers: Record<string, string>, method = "POST") {
    const response = await fetch(`http://127.0.0.1:${port}/webhooks`, {
      method,
      headers,
      body: method === "POST" ? body : undefined,
    });
    return { status: response.status, text: await response.text(), allow: response.headers.get("allow") };
  }

  it("answers 204 for a verified event and again for its duplicate, handling it once", async () => {
    const body = JSON.stringify({ type: "order.paid" });
    const headers = signedHeaders(body, "msg_node_dup");
    expect((await post(body, headers)).status).toBe(204);
    expect((await post(body, headers)).status).toBe(204);
    expect(h.handled.filter((event) => event.id === "msg_node_dup")).toHaveLength(1);
  });

  it("answers 401 with the reason for a tampered body and does not handle it", async () => {
    const headers = signedHeaders('{"amount":1}', "msg_node_tampered");
    const response = await post('{"amount":100}', headers);
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text)).toMatchObject({ error: "invalid_signature" });
    expect(h.handled.some((event) => event.id === "msg_node_tampered")).toBe(false);
    expect(h.errors.at(-1)?.context).toEqual({ status: 401, webhookId: "msg_node_tampered" });
  });

  it("answers 400 for a genuine body that is not JSON", async () => {
    expect((await post("plain text", signedHeaders("plain text"))).status).toBe(400);
  });

  it("answers 500 when the handler fails, and 204 when the retry succeeds", async () => {
    const body = JSON.stringify({ type: "order.refunded" });
    const headers = signedHeaders(body, "msg_node_retry");
    h.failNext.value = true;
    const failed = await post(body, headers);
    expect(failed.status).toBe(500);
    expect(failed.text).not.toContain("handler failed");
    expect(h.errors.at(-1)?.context).toEqual({ status: 500, webhookId: "msg_node_retry" });
    expect((await post(body, headers)).status).toBe(204);
    expect(h.handled.filter((event) => event.id === "msg_node_retry")).toHaveLength(1);
  });

  it("answers 413 for a body over the limit, even without content-length", async () => {
    const big = JSON.stringify({ padding: "x".repeat(2048) });
    expect((await post(big, signedHeaders(big))).status).toBe(413);

    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/webhooks",
        headers: signedHeaders(big),
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      // Chunked: the limit has to be enforced while reading.
      req.write(big.slice(0, 1000));
      req.end(big.slice(1000));
    });
    expect(status).toBe(413);
  });

  it("answers 405 to anything but POST, and tells onError", async () => {
    for (const method of ["GET", "PUT"]) {
      const response = await post("", {}, method);
      expect([response.status, response.allow]).toEqual([405, "POST"]);
      const last = h.errors.at(-1);
      expect(last?.context).toEqual({ status: 405 });
      expect(last?.error).toBeInstanceOf(MethodNotAllowedError);
      expect((last?.error as MethodNotAllowedError).method).toBe(method);
    }
  });

  it("reads svix-* headers, and names the svix-id to onError when it rejects", async () => {
    const body = JSON.stringify({ type: "user.created" });
    const headers = Object.fromEntries(
      Object.entries(signedHeaders(body, "msg_node_svix")).map(([name, value]) => [
        name.replace(/^webhook-/, "svix-"),
        value,
      ]),
    );
    expect((await post(body, headers)).status).toBe(204);
    expect(h.handled.filter((event) => event.id === "msg_node_svix")).toHaveLength(1);

    const rejected = await post(body, { ...headers, "svix-id": "msg_node_svix_forged" });
    expect(rejected.status).toBe(401);
    expect(h.errors.at(-1)?.context).toEqual({ status: 401, webhookId: "msg_node_svix_forged" });
  });
});

describe("fetch adapter (Next.js route handlers)", () => {
  const h = harness();
  const POST = createFetchHandler(h.options);
  const url = "http://localhost/api/webhooks";

  it("answers 204 once handled and 204 for the duplicate", async () => {
    const body = JSON.stringify({ type: "invoice.created" });
    const headers = signedHeaders(body, "msg_fetch_dup");
    const first = await POST(new Request(url, { method: "POST", headers, body }));
    const second = await POST(new Request(url, { method: "POST", headers, body }));
    expect([first.status, second.status]).toEqual([204, 204]);
    expect(h.handled.map((event) => event.id)).toEqual(["msg_fetch_dup"]);
    expect(h.handled[0]?.payload).toEqual({ type: "invoice.created" });
  });

  it("verifies the bytes as sent, even when they are not valid UTF-8", async () => {
    // 0xff inside a JSON string is invalid UTF-8: request.text() would turn
    // it into U+FFFD and the signature would no longer match.
    const bytes = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff]), Buffer.from('"}')]);
    // Signed by hand: the standardwebhooks package decodes a Buffer to a
    // string before signing, which is exactly the lossy step under test.
    const id = "msg_fetch_bytes";
    const timestamp = String(Math.floor(Date.now() / 1000));
    const key = Buffer.from(secret.slice("whsec_".length), "base64");
    const digest = createHmac("sha256", key).update(`${id}.${timestamp}.`).update(bytes).digest("base64");
    const headers = { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": `v1,${digest}` };
    const response = await POST(new Request(url, { method: "POST", headers, body: bytes }));
    expect(response.status).toBe(204);
  });

  it("answers 401 for a missing signature", async () => {
    const headers = signedHeaders("{}");
    delete headers["webhook-signature"];
    const response = await POST(new Request(url, { method: "POST", headers, body: "{}" }));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "missing_header" });
  });

  it("answers 405 to anything but POST, and tells onError", async () => {
    for (const method of ["GET", "HEAD", "PUT"]) {
      const response = await POST(new Request(url, { method }));
      expect([response.status, response.headers.get("allow")]).toEqual([405, "POST"]);
      const last = h.errors.at(-1);
      expect(last?.context).toEqual({ status: 405 });
      expect((last?.error as MethodNotAllowedError).method).toBe(method);
    }
  });

  it("answers 413 for a streamed body over the limit", async () => {
    const chunk = new TextEncoder().encode("x".repeat(600));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.enqueue(chunk);
        controller.close();
      },
    });
    // `duplex` is required by Node for a stream body but missing from the DOM typings.
    const init = { method: "POST", headers: signedHeaders("{}"), body: stream, duplex: "half" } as RequestInit;
    const request = new Request(url, init);
    expect((await POST(request)).status).toBe(413);
  });
});
