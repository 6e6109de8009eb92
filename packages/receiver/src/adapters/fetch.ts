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
 * Reads a Fetch `Request` body as raw bytes, stopping at `limitBytes`.
 * Bytes rather than `request.text()`: decoding and re-encoding would turn
 * invalid UTF-8 into replacement characters and break the signature.
 */
export async function readRequestBody(request: Request, limitBytes = DEFAULT_MAX_BODY_BYTES): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length"));
  if (declared > limitBytes) throw new BodyTooLargeError(limitBytes);
  if (request.body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let received = 0;
  // Typed explicitly: Node's own typings leave the chunk type open.
  const reader: ReadableStreamDefaultReader<Uint8Array> = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limitBytes) {
      await reader.cancel();
      throw new BodyTooLargeError(limitBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * A handler for the Fetch API: a Next.js App Router route
 * (`export const POST = createFetchHandler(...)`), or any runtime with
 * `Request`/`Response` and `node:crypto`.
 */
export function createFetchHandler<Tx>(options: ReceiverOptions<Tx>): (request: Request) => Promise<Response> {
  checkReceiverOptions(options);
  return async (request) => {
    if (request.method !== "POST") return toResponse(methodNotAllowedResponse(request.method, options.onError));
    let response: ReceiverResponse;
    try {
      const body = await readRequestBody(request, options.maxBodyBytes);
      response = await receive(body, request.headers, options);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      response = tooLargeResponse(error, options.onError);
    }
    return toResponse(response);
  };
}

function toResponse(response: ReceiverResponse): Response {
  if (response.body === undefined) return new Response(null, { status: response.status, headers: response.headers });
  return new Response(response.body, {
    status: response.status,
    headers: { ...response.headers, "content-type": "application/json" },
  });
}
