import { InvalidHeaderError, MissingHeaderError } from "./errors.js";

/** A Fetch `Headers`, or anything with the same `get`: Next.js, undici, Deno. */
export interface HeadersLike {
  get(name: string): string | null;
}

/**
 * Headers as the three common shapes arrive: a Fetch `Headers`, Node's
 * `IncomingHttpHeaders` (lower-case keys, string arrays for repeats) or a
 * plain object in any letter case (AWS Lambda, hand-written tests).
 */
export type HeadersInput = HeadersLike | Readonly<Record<string, string | readonly string[] | undefined>>;

function isHeadersLike(headers: HeadersInput): headers is HeadersLike {
  return typeof (headers as Partial<HeadersLike>).get === "function";
}

function lookup(headers: HeadersInput, name: string): string | readonly string[] | undefined {
  if (isHeadersLike(headers)) return headers.get(name) ?? undefined;
  const exact = headers[name];
  if (exact !== undefined) return exact;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

/** The header's first value if present, for logging a request that failed verification. */
export function peekHeader(headers: HeadersInput, name: string): string | undefined {
  const value = lookup(headers, name);
  return (typeof value === "string" ? value : value?.[0]) || undefined;
}

/**
 * A header that must occur once. A repeated `webhook-id` or timestamp is
 * ambiguous, and guessing which copy the sender meant is how smuggling works.
 */
export function requireSingleHeader(headers: HeadersInput, name: string): string {
  const value = lookup(headers, name);
  if (value === undefined || value.length === 0) throw new MissingHeaderError(name);
  if (typeof value === "string") return value;
  if (value.length > 1) throw new InvalidHeaderError(name, "sent more than once");
  const [only] = value;
  if (only === undefined || only === "") throw new MissingHeaderError(name);
  return only;
}

/** A header whose repeats are all meaningful, like a list of signatures: joined with spaces. */
export function requireJoinedHeader(headers: HeadersInput, name: string): string {
  const value = lookup(headers, name);
  const joined = typeof value === "string" ? value : (value ?? []).join(" ");
  if (joined.trim() === "") throw new MissingHeaderError(name);
  return joined;
}
