// Runs examples/receiver/server.ts with the tsx loader, as its README does,
// against a database of its own, and talks to it over HTTP like a sender.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { Webhook } from "standardwebhooks";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./support/database.js";

const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));
const secret = `whsec_${randomBytes(24).toString("base64")}`;

const database: TestDatabase = await createTestDatabase();
let output = "";
const server: ChildProcessWithoutNullStreams = spawn(
  process.execPath,
  ["--import", "tsx", "examples/receiver/server.ts"],
  {
    cwd: repositoryRoot,
    env: { ...process.env, PORT: "0", WEBHOOK_SECRET: secret, DATABASE_URL: database.url },
  },
);
server.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
server.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
const exited = new Promise<number | null>((resolve) => server.once("exit", resolve));

const started = new Promise<string>((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`the example did not start within 15 s:\n${output}`)), 15_000);
  const check = () => {
    const match = /listening on (http:\/\/localhost:\d+)/.exec(output);
    if (!match?.[1]) return;
    clearTimeout(timer);
    server.stdout.off("data", check);
    resolve(match[1]);
  };
  server.stdout.on("data", check);
  void exited.then((code) => reject(new Error(`the example exited with ${code} before listening:\n${output}`)));
});
const baseUrl = await started.catch(async (error: unknown) => {
  // afterAll is not registered yet, so clean up here before failing the file.
  server.kill("SIGTERM");
  await exited;
  await database.drop();
  throw error;
});

afterAll(async () => {
  if (server.exitCode === null) server.kill("SIGTERM");
  await exited;
  await database.drop();
});

function send(body: string, id: string, signWith = secret): Promise<Response> {
  const now = new Date();
  return fetch(`${baseUrl}/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": new Webhook(signWith).sign(id, now, body),
    },
    body,
  });
}

describe("examples/receiver/server.ts", () => {
  it("answers 204 to an event and its duplicate, 401 to a forgery, and records the event once", async () => {
    const body = JSON.stringify({ type: "order.created", data: { id: 1 } });
    expect((await send(body, "msg_example")).status).toBe(204);
    expect((await send(body, "msg_example")).status).toBe(204);
    const forged = await send(body, "msg_forged", `whsec_${randomBytes(24).toString("base64")}`);
    expect(forged.status).toBe(401);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string }>("SELECT id FROM webhook_inbox ORDER BY id");
      expect(rows.map((row) => row.id)).toEqual(["msg_example"]);
    } finally {
      await client.end();
    }
    expect(output).toMatch(/processed msg_example order\.created/);
    expect(output).toMatch(/duplicate msg_example order\.created/);
    expect(output).toMatch(/answered 401 .*InvalidSignatureError/);
  });

  it("shuts down cleanly on SIGTERM", async () => {
    server.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
