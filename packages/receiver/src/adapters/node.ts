import type { IncomingMessage, ServerResponse } from "node:http";
import {
  BodyTooLargeError,
  DEFAULT_MAX_BODY_BYTES,
  checkReceiverOptions,
  methodNotAllowedResponse,
  receive,
  tooLargeResponse,
  type ReceiverOptions,
  type ReceiverResponse,
} from "../receive.js";

/**
 * Reads the request body as raw bytes, stopping at `limitBytes`. The
 * signature covers these exact bytes, so this must run before any JSON
 * body parser has consumed the stream.
 */
export async function readRawBody(req: IncomingMessage, limitBytes = DEFAULT_MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (declared > limitBytes) throw new BodyTooLargeError(limitBytes);
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    received += buffer.length;
    if (received > limitBytes) throw new BodyTooLargeError(limitBytes);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * A `(req, res)` handler for `node:http`, and for Express or Connect as long
 * as no body parser ran before it on this route.
 */
export function createNodeHandler<Tx>(
  options: ReceiverOptions<Tx>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  checkReceiverOptions(options);
  return async (req, res) => {
    if (req.method !== "POST") {
      send(res, methodNotAllowedResponse(req.method, options.onError));
      return;
    }
    let response: ReceiverResponse;
    try {
      const body = await readRawBody(req, options.maxBodyBytes);
      response = await receive(body, req.headers, options);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      response = tooLargeResponse(error, options.onError);
      // The rest of the upload is not read, so the connection cannot be reused.
      res.setHeader("connection", "close");
    }
    send(res, response);
  };
}

function send(res: ServerResponse, response: ReceiverResponse): void {
  if (response.body === undefined) {
    res.writeHead(response.status, response.headers).end();
    return;
  }
  res.writeHead(response.status, { ...response.headers, "content-type": "application/json" }).end(response.body);
}
