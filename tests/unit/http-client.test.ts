// The outbound client against real local sockets: limits, error classes,
// and the connect-time address check with a scripted resolver.
import { createServer, type Server } from "node:http";
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDeliveryAgent,
  MAX_RESPONSE_STORED_BYTES,
  postWebhook,
  toStoredText,
  type Resolver,
} from "@/lib/sending/http-client";
import type { DestinationPolicy } from "@/lib/endpoints/url-guard";

const open: DestinationPolicy = { allowPrivate: true, allowedCidrs: [] };
const strict: DestinationPolicy = { allowPrivate: false, allowedCidrs: [] };
const sockets = new Set<Socket>();
let http: Server;
let tcp: TcpServer;
let httpPort: number;
let tcpPort: number;
let tcpMode: "hang" | "reset" | "trickle" = "hang";

beforeAll(async () => {
  http = createServer((req, res) => {
    req.resume();
    if (req.url === "/huge") {
      // An endless body: the client must stop reading on its own.
      res.writeHead(500, { "content-type": "text/plain" });
      const chunk = Buffer.alloc(64 * 1024, "x");
      const pump = () => {
        while (res.write(chunk)) {
          /* keep the socket buffer full */
        }
      };
      res.on("drain", pump);
      pump();
      return;
    }
    if (req.url === "/redirect") return res.writeHead(302, { location: "http://169.254.169.254/" }).end();
    if (req.url === "/nul") return res.writeHead(200).end("a\u0000b");
    res.writeHead(200).end("ok");
  });
  http.on("connection", (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  httpPort = (http.address() as AddressInfo).port;

  tcp = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {
      // The client going away is expected.
    });
    if (tcpMode === "reset") socket.resetAndDestroy();
    if (tcpMode === "trickle") {
      socket.write("HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n");
      const timer = setInterval(() => socket.write("x"), 1000);
      socket.on("close", () => clearInterval(timer));
    }
  });
  await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
  tcpPort = (tcp.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => http.close(() => resolve()));
  await new Promise<void>((resolve) => tcp.close(() => resolve()));
});

function send(url: string, policy = open, timeoutMs = 1500, resolver?: Resolver) {
  const agent = createDeliveryAgent(policy, timeoutMs, resolver);
  return postWebhook({
    url,
    headers: { "content-type": "application/json" },
    body: "{}",
    timeoutMs,
    agent,
    policy,
  }).finally(() => agent.destroy());
}

const fixedResolver =
  (addresses: string[]): Resolver =>
  (_hostname, _options, callback) =>
    callback(
      null,
      addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })),
    );

describe("postWebhook", () => {
  it("reads at most 64 KiB of an endless body and stores 16 KiB", async () => {
    const result = await send(`http://127.0.0.1:${httpPort}/huge`);
    expect(result.statusCode).toBe(500);
    expect(Buffer.byteLength(result.responseBody!)).toBe(MAX_RESPONSE_STORED_BYTES);
    expect(result.durationMs).toBeLessThan(1500);
  });

  it("does not follow redirects", async () => {
    const result = await send(`http://127.0.0.1:${httpPort}/redirect`);
    expect(result.statusCode).toBe(302);
  });

  it("stores a body with NUL characters in a form PostgreSQL accepts", async () => {
    const result = await send(`http://127.0.0.1:${httpPort}/nul`);
    expect(result.responseBody).toBe("a\uFFFDb");
  });

  it("times out a server that accepts and never answers, within the deadline", async () => {
    tcpMode = "hang";
    const result = await send(`http://127.0.0.1:${tcpPort}/`, open, 1000);
    expect(result.error).toBe("timeout");
    expect(result.durationMs).toBeGreaterThanOrEqual(950);
    expect(result.durationMs).toBeLessThan(2000);
  });

  it("times out a body trickled at 1 byte per second: the deadline covers the whole exchange", async () => {
    tcpMode = "trickle";
    const result = await send(`http://127.0.0.1:${tcpPort}/`, open, 2500);
    expect(result.error).toBe("timeout");
    expect(result.durationMs).toBeLessThan(3500);
  });

  it("classifies a reset connection", async () => {
    tcpMode = "reset";
    const result = await send(`http://127.0.0.1:${tcpPort}/`);
    expect(result.error).toBe("connection_reset");
  });

  it("classifies a refused connection", async () => {
    const result = await send("http://127.0.0.1:9/");
    expect(result.error).toBe("connection_refused");
  });

  it.each([
    ["a private address", ["10.0.0.1"]],
    ["the metadata address", ["169.254.169.254"]],
    ["one forbidden address among public ones", ["93.184.216.34", "127.0.0.1"]],
    ["an IPv4-mapped loopback", ["::ffff:127.0.0.1"]],
  ])("refuses a name that resolves to %s, before connecting", async (_name, addresses) => {
    const result = await send(`http://hooks.example.test:${httpPort}/`, strict, 1500, fixedResolver(addresses));
    expect(result.error).toBe("forbidden_destination");
  });

  it("connects to exactly the address it checked", async () => {
    // The name is "public" for the check, yet the socket goes where the
    // resolver said: there is no second lookup to rebind.
    const result = await send(`http://hooks.example.test:${httpPort}/`, open, 1500, fixedResolver(["127.0.0.1"]));
    expect(result.statusCode).toBe(200);
  });

  it.each(["http://127.0.0.1/", "http://[::1]/", "http://[::ffff:a9fe:a9fe]/", "http://2130706433/"])(
    "refuses the IP literal %s without connecting",
    async (url) => {
      const result = await send(url, strict);
      expect(result.error).toBe("forbidden_destination");
    },
  );

  it("reaches a private range listed in ALLOWED_PRIVATE_CIDRS", async () => {
    const result = await send(`http://127.0.0.1:${httpPort}/`, { allowPrivate: false, allowedCidrs: ["127.0.0.0/8"] });
    expect(result.statusCode).toBe(200);
  });
});

describe("toStoredText", () => {
  it("keeps binary bodies within the stored limit once decoded, cut on a character boundary", () => {
    // Every byte is invalid UTF-8 and decodes to a 3-byte U+FFFD.
    const binary = toStoredText(Buffer.alloc(64 * 1024, 0xff));
    expect(Buffer.byteLength(binary)).toBeLessThanOrEqual(MAX_RESPONSE_STORED_BYTES);
    expect(binary).toMatch(/^\uFFFD+$/);
    const euros = toStoredText(Buffer.from("€".repeat(10_000)));
    expect(Buffer.byteLength(euros)).toBeLessThanOrEqual(MAX_RESPONSE_STORED_BYTES);
    expect(euros).toMatch(/^€+$/);
    expect(toStoredText(Buffer.from("short and plain"))).toBe("short and plain");
  });
});
