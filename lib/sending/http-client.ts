// The outbound HTTP exchange with an endpoint: bounded in time and size,
// never following redirects, and connecting only to addresses the
// destination policy allows, as resolved for this very connection.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { StringDecoder } from "node:string_decoder";
import { Agent, request } from "undici";
import { ipLiteral, isAllowedAddress, type DestinationPolicy } from "../endpoints/url-guard";

/** Read at most this much of a response: enough for any error page, bounded for hostile ones. */
export const MAX_RESPONSE_READ_BYTES = 64 * 1024;
/** Keep at most this much of it in the attempt log. */
export const MAX_RESPONSE_STORED_BYTES = 16 * 1024;

/** Why an attempt got no answer; "endpoint_failing" was not sent at all (lib/sending/endpoint-breaker.ts). */
export type ErrorClass =
  | "timeout"
  | "connection_refused"
  | "connection_reset"
  | "dns"
  | "tls"
  | "forbidden_destination"
  | "network_error"
  | "endpoint_failing";

export interface ExchangeResult {
  statusCode?: number;
  /** Truncated to MAX_RESPONSE_STORED_BYTES; NUL characters replaced (PostgreSQL text cannot hold them). */
  responseBody?: string;
  retryAfterHeader?: string;
  error?: ErrorClass;
  errorDetail?: string;
  durationMs: number;
}

class ForbiddenDestinationError extends Error {
  readonly code = "HOOKPOST_FORBIDDEN_DESTINATION";
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, which endpoints may not reach`);
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A dns.lookup that refuses forbidden addresses. The socket connects to the
 * address returned here, so there is no second resolution to rebind.
 */
export type Resolver = (
  hostname: string,
  options: LookupOptions & { all: true },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

function guardedLookup(policy: DestinationPolicy, resolve: Resolver) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const forbidden = addresses.find((entry) => !isAllowedAddress(entry.address, policy));
      if (forbidden) return callback(new ForbiddenDestinationError(hostname, forbidden.address), []);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), []);
      callback(null, first.address, first.family);
    });
  };
}

/** `resolve` is the system resolver; tests pass their own to play a hostile DNS. */
export function createDeliveryAgent(
  policy: DestinationPolicy,
  timeoutMs: number,
  resolve: Resolver = dnsLookup,
): Agent {
  return new Agent({
    connect: { lookup: guardedLookup(policy, resolve), timeout: timeoutMs },
    keepAliveTimeout: 30_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
}

export interface ExchangeRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  agent: Agent;
  policy: DestinationPolicy;
}

export async function postWebhook(req: ExchangeRequest): Promise<ExchangeResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const hostname = new URL(req.url).hostname;
  const literal = ipLiteral(hostname);
  // Sockets skip lookup for IP literals, so those are checked here.
  if (literal !== undefined && !isAllowedAddress(literal, req.policy)) {
    return {
      error: "forbidden_destination",
      errorDetail: `${literal} is not an address endpoints may reach`,
      durationMs: elapsed(),
    };
  }
  try {
    const response = await request(req.url, {
      method: "POST",
      headers: req.headers,
      body: req.body,
      dispatcher: req.agent,
      // One deadline for the whole exchange, including a body that trickles.
      signal: AbortSignal.timeout(req.timeoutMs),
    });
    const body = await readCapped(response.body, MAX_RESPONSE_READ_BYTES);
    const retryAfter = response.headers["retry-after"];
    return {
      statusCode: response.statusCode,
      responseBody: toStoredText(body),
      retryAfterHeader: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      durationMs: elapsed(),
    };
  } catch (error) {
    return { ...classifyError(error), durationMs: elapsed() };
  }
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): unknown }, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    // Leaving the loop destroys the stream and its socket: the rest is never read.
    if (size >= limit) break;
  }
  return Buffer.concat(chunks, Math.min(size, limit)).subarray(0, limit);
}

/**
 * The body as text of at most MAX_RESPONSE_STORED_BYTES in UTF-8. Decoding
 * binary bytes can grow them (each invalid byte becomes a 3-byte U+FFFD), so
 * the limit is applied again to the text, cut on a character boundary.
 */
export function toStoredText(body: Buffer): string {
  const text = body.subarray(0, MAX_RESPONSE_STORED_BYTES).toString("utf8").replaceAll("\u0000", "\uFFFD");
  const encoded = Buffer.from(text, "utf8");
  if (encoded.length <= MAX_RESPONSE_STORED_BYTES) return text;
  // A StringDecoder holds back a character cut in half instead of emitting U+FFFD for it.
  return new StringDecoder("utf8").write(encoded.subarray(0, MAX_RESPONSE_STORED_BYTES));
}

const TLS_CODE = /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL|HOSTNAME_MISMATCH)/;

export function classifyError(error: unknown): { error: ErrorClass; errorDetail: string } {
  const detail = error instanceof Error ? error.message : String(error);
  const codes = collectCodes(error);
  const name = error instanceof Error ? error.name : "";
  const has = (...wanted: string[]) => wanted.some((code) => codes.includes(code));
  let errorClass: ErrorClass = "network_error";
  if (has("HOOKPOST_FORBIDDEN_DESTINATION")) errorClass = "forbidden_destination";
  else if (
    name === "TimeoutError" ||
    name === "AbortError" ||
    has("UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT", "UND_ERR_ABORTED")
  )
    errorClass = "timeout";
  else if (has("ECONNREFUSED")) errorClass = "connection_refused";
  else if (has("ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME")) errorClass = "dns";
  else if (codes.some((code) => TLS_CODE.test(code))) errorClass = "tls";
  else if (has("ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "ECONNABORTED")) errorClass = "connection_reset";
  return { error: errorClass, errorDetail: detail.slice(0, 1024) };
}

/** Error codes of the error and its causes: undici wraps socket errors. */
function collectCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}
