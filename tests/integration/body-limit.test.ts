// A body over 256 KiB on the event route is answered 413 every time, over
// real sockets: a reset instead would look transient to a producer, which
// would retry it forever.
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHookpost, type RunningHookpost } from "../support/hookpost";

let hookpost: RunningHookpost;
let appId: string;

beforeAll(async () => {
  hookpost = await startHookpost();
  appId = ((await (await hookpost.api("/apps", { body: { name: "Big" } })).json()) as { id: string }).id;
});

afterAll(async () => {
  await hookpost?.stop();
});

/** A JSON event body of about `bytes` bytes. */
function eventBody(bytes: number): Buffer {
  return Buffer.from(JSON.stringify({ eventType: "big", payload: { fill: "x".repeat(bytes) } }));
}

/** Writes `data`, resolving once the socket has taken it and failing if it cannot. */
function write(socket: Socket, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => socket.write(data, (error) => (error ? reject(error) : resolve())));
}

/**
 * Sends one request on a new connection through `send`, as an HTTP client
 * does: it must be able to write the whole request and then read the whole
 * response. Answers the response's status; a reset, a failed write or a
 * close before both fails.
 */
function exchange(send: (socket: Socket) => Promise<void>): Promise<number> {
  const { port } = new URL(hookpost.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1");
    let received = Buffer.alloc(0);
    let sent = false;
    let status: number | undefined;
    const finish = () => {
      if (!sent || status === undefined) return;
      socket.destroy();
      resolve(status);
    };
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = received.subarray(0, end).toString();
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? NaN);
      if (received.length >= end + 4 + length) status = Number(head.split(" ")[1]);
      finish();
    });
    const fail = (why: string) =>
      reject(new Error(`${why} (sent whole request: ${sent}, response bytes: ${received.length})`));
    socket.on("error", (error) => fail(error.message));
    socket.on("close", () => fail("closed"));
    socket.on("connect", () => {
      send(socket).then(
        () => {
          sent = true;
          finish();
        },
        (error: Error) => fail(`write failed: ${error.message}`),
      );
    });
  });
}

function head(extra: string): string {
  return (
    `POST /api/v1/apps/${appId}/events HTTP/1.1\r\nhost: 127.0.0.1\r\n` +
    `authorization: Bearer ${hookpost.apiKey}\r\ncontent-type: application/json\r\n${extra}\r\n`
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a body over the limit", () => {
  it("is answered 413 on each of 200 connections sending 400 KB as fast as they can", async () => {
    const body = eventBody(400_000);
    const statuses: number[] = [];
    for (let n = 0; n < 200; n++) {
      statuses.push(
        await exchange(async (socket) => {
          // In the pieces a client's upload loop hands the socket, as fast as it takes them.
          await write(socket, head(`content-length: ${body.length}\r\n`));
          for (let offset = 0; offset < body.length; offset += 16 * 1024) {
            await write(socket, body.subarray(offset, offset + 16 * 1024));
          }
        }),
      );
    }
    expect(statuses.filter((status) => status !== 413)).toEqual([]);
  });

  it("is answered 413 when sent in chunks with pauses, declared or not", async () => {
    const body = eventBody(400_000);
    for (const framing of ["content-length", "chunked"] as const) {
      for (let n = 0; n < 5; n++) {
        const status = await exchange(async (socket) => {
          await write(
            socket,
            head(framing === "chunked" ? "transfer-encoding: chunked\r\n" : `content-length: ${body.length}\r\n`),
          );
          for (let offset = 0; offset < body.length; offset += 64 * 1024) {
            const piece = body.subarray(offset, offset + 64 * 1024);
            await write(
              socket,
              framing === "chunked"
                ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")])
                : piece,
            );
            await sleep(20);
          }
          if (framing === "chunked") await write(socket, "0\r\n\r\n");
        });
        expect([framing, n, status]).toEqual([framing, n, 413]);
      }
    }
  });

  it("leaves the connection able to carry the next request", async () => {
    const big = eventBody(300_000);
    const small = Buffer.from(JSON.stringify({ eventType: "small", payload: {} }));
    const { port } = new URL(hookpost.baseUrl);
    const socket = connect(Number(port), "127.0.0.1");
    let received = "";
    let failure: Error | undefined;
    socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
    socket.on("error", (error) => (failure = error));
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(head(`content-length: ${big.length}\r\n`));
    socket.write(big);
    socket.write(head(`content-length: ${small.length}\r\n`));
    socket.write(small);
    const deadline = Date.now() + 10_000;
    while (!/HTTP\/1\.1 202/.test(received) && Date.now() < deadline && !socket.destroyed) await sleep(20);
    socket.destroy();
    expect(failure).toBeUndefined();
    expect([...received.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => match[1])).toEqual(["413", "202"]);
  });
});
