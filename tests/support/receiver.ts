// A local webhook receiver whose answers each test scripts, recording every
// request it gets (headers and raw body).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  /** The path and query it was sent to. */
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  receivedAt: number;
}

export type Responder = (request: ReceivedRequest, index: number, res: ServerResponse) => void;

export const answer =
  (status: number, body = "", headers: Record<string, string> = {}): Responder =>
  (_request, _index, res) => {
    res.writeHead(status, headers).end(body);
  };

export interface TestReceiver {
  url: string;
  requests: ReceivedRequest[];
  respond(responder: Responder): void;
  close(): Promise<void>;
}

export async function startReceiver(responder: Responder = answer(200, "ok")): Promise<TestReceiver> {
  let current = responder;
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const received = {
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        receivedAt: Date.now(),
      };
      requests.push(received);
      current(received, requests.length - 1, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    requests,
    respond(next) {
      current = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
