// Serves a Fetch API route handler (Request in, Response out) on Node's own
// request and response, for the route server/main.ts answers outside
// Next.js, with the server span and trace context Next.js would give it.
import type { IncomingMessage, ServerResponse } from "node:http";
import { propagation, ROOT_CONTEXT, SpanKind } from "@opentelemetry/api";
import { tracer } from "../lib/tracing";

/**
 * The request body as a web stream that reads from the socket only as fast
 * as the handler reads. Cancelling it (a body over the size cap) stops
 * reading without destroying the socket, so the refusal can still be sent.
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let open = true;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.pause();
        req.on("data", (chunk: Buffer) => {
          if (!open) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.on("end", () => {
          if (open) controller.close();
          open = false;
        });
        req.on("error", (error) => {
          if (open) controller.error(error);
          open = false;
        });
      },
      pull() {
        req.resume();
      },
      cancel() {
        open = false;
        req.pause();
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
}

function toWebRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
    method,
    headers,
    // Streamed, so the handler's own size cap applies before the body is buffered.
    body: hasBody ? bodyStream(req) : undefined,
    duplex: "half",
  } as RequestInit);
}

async function sendWebResponse(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  headers["content-length"] = String(body.byteLength);
  // Answered before the whole body arrived (refused as too large): the rest
  // is never read, so the connection cannot carry another request.
  if (!req.complete) headers.connection = "close";
  res.writeHead(response.status, headers);
  res.end(body);
}

/** Answers `req` with `handler`, in a server span that continues the caller's trace (W3C traceparent). */
export function serveFetchHandler(
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  handler: (request: Request) => Promise<Response>,
): Promise<void> {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const attributes = { "http.request.method": req.method ?? "GET", "http.route": route };
  return tracer.startActiveSpan(
    `${attributes["http.request.method"]} ${route}`,
    { kind: SpanKind.SERVER, attributes },
    parent,
    async (span) => {
      try {
        const response = await handler(toWebRequest(req));
        span.setAttribute("http.response.status_code", response.status);
        await sendWebResponse(req, res, response);
      } finally {
        span.end();
      }
    },
  );
}
