// Serves an API route handler (lib/api/route.ts) on Node's own request and
// response, for the route server/main.ts answers outside Next.js, with the
// server span and trace context Next.js would give it.
import type { IncomingMessage, ServerResponse } from "node:http";
import { propagation, ROOT_CONTEXT, SpanKind } from "@opentelemetry/api";
import type { ApiRequest } from "../lib/api/request";
import { JsonReply, type ApiReply } from "../lib/api/route";
import { tracer } from "../lib/platform/tracing";

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : (value ?? null);
}

/**
 * Node's request as the API reads one, without building a Fetch API
 * Request (its headers, streams and abort signal cost more than the rest
 * of the route). The body is read from the socket as the handler reads it;
 * a handler that stops early (a body over the size cap) leaves the
 * connection open, so the refusal can still be sent (see sendReply).
 */
function toApiRequest(req: IncomingMessage): ApiRequest {
  const method = req.method ?? "GET";
  return {
    method,
    url: `http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`,
    headers: { get: (name) => header(req, name) },
    body: method === "GET" || method === "HEAD" ? null : req.iterator({ destroyOnReturn: false }),
  };
}

async function sendReply(req: IncomingMessage, res: ServerResponse, reply: ApiReply): Promise<void> {
  const headers: Record<string, string> = {};
  let body: Buffer;
  if (reply instanceof JsonReply) {
    body = Buffer.from(reply.text());
    headers["content-type"] = "application/json";
  } else {
    body = Buffer.from(await reply.arrayBuffer());
    reply.headers.forEach((value, name) => (headers[name] = value));
  }
  headers["content-length"] = String(body.byteLength);
  // Answered before the whole body arrived (refused as too large). Closing
  // now, with the client's bytes unread, makes the kernel answer them with
  // a reset, which the client can meet before it reads this answer and
  // take for a transient failure. So the rest is read and dropped, and the
  // connection carries on; the server's requestTimeout bounds how long.
  if (!req.complete) req.resume();
  res.writeHead(reply.status, headers);
  res.end(body);
}

/** Answers `req` with `handler`, in a server span that continues the caller's trace (W3C traceparent). */
export function serveApiHandler(
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  handler: (request: ApiRequest) => Promise<ApiReply>,
): Promise<void> {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const attributes = { "http.request.method": req.method ?? "GET", "http.route": route };
  return tracer.startActiveSpan(
    `${attributes["http.request.method"]} ${route}`,
    { kind: SpanKind.SERVER, attributes },
    parent,
    async (span) => {
      try {
        const reply = await handler(toApiRequest(req));
        span.setAttribute("http.response.status_code", reply.status);
        await sendReply(req, res, reply);
      } finally {
        span.end();
      }
    },
  );
}
