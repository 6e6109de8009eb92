// A TCP proxy in front of the app that can lose an answer: it forwards the
// next connection's request to the app, then cuts the connection as the
// answer starts, so the app has acted but the client never hears it. Or it
// answers the next connection 429 with Retry-After itself, without
// forwarding. Everything clients send through it is kept, to read their
// headers back.
import { connect, createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface Proxy {
  url: string;
  /** Connections accepted so far. */
  connections(): number;
  /** Every byte clients sent, as text. */
  sent(): string;
  /** The Idempotency-Key of every request sent, in order. */
  idempotencyKeys(): string[];
  /** The next connection's answer is lost after its request reached the app. */
  dropNextAnswer(): void;
  /** The next connection is answered 429 with `Retry-After: <seconds>`, by the proxy. */
  throttleNext(seconds: number): void;
  close(): Promise<void>;
}

export async function startProxy(upstreamPort: number): Promise<Proxy> {
  let connections = 0;
  let sent = "";
  let next: { kind: "drop" } | { kind: "throttle"; seconds: number } | undefined;
  const sockets = new Set<Socket>();

  const server: Server = createServer((client) => {
    connections++;
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => client.destroy());
    const mode = next;
    next = undefined;
    client.on("data", (chunk: Buffer) => (sent += chunk.toString("latin1")));

    if (mode?.kind === "throttle") {
      let head = "";
      client.on("data", (chunk: Buffer) => {
        head += chunk.toString("latin1");
        if (!head.includes("\r\n\r\n")) return;
        const body = JSON.stringify({ error: { code: "rate_limited", message: "slow down" } });
        client.end(
          `HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\nretry-after: ${mode.seconds}\r\n` +
            `content-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
        );
      });
      return;
    }

    const upstream = connect(upstreamPort, "127.0.0.1");
    sockets.add(upstream);
    upstream.on("close", () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    client.on("data", (chunk: Buffer) => upstream.write(chunk));
    upstream.on("data", (chunk: Buffer) => {
      if (mode?.kind === "drop") {
        // The app answered: it has committed what the request asked. The client hears nothing.
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    sent: () => sent,
    idempotencyKeys: () => [...sent.matchAll(/^idempotency-key: *(.+?)\r$/gim)].map((match) => match[1]!),
    dropNextAnswer: () => (next = { kind: "drop" }),
    throttleNext: (seconds) => (next = { kind: "throttle", seconds }),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
