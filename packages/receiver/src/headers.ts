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

/** The names under which one sender sends the message id, timestamp and signatures. */
export interface SignatureHeaderNames {
  id: string;
  timestamp: string;
  signature: string;
}

const STANDARD_HEADERS: SignatureHeaderNames = {
  id: "webhook-id",
  timestamp: "webhook-timestamp",
  signature: "webhook-signature",
};

/** Svix-powered senders send the same three values, signed the same way, under their own prefix. */
const SVIX_HEADERS: SignatureHeaderNames = { id: "svix-id", timestamp: "svix-timestamp", signature: "svix-signature" };

function hasHeader(headers: HeadersInput, name: string): boolean {
  const value = lookup(headers, name);
  return typeof value === "string" ? value !== "" : (value ?? []).some((item) => item !== "");
}

/**
 * Which family of headers to verify: the first complete one. `webhook-*`,
 * the standard's names and the only ones the `standardwebhooks` library
 * reads, come before `svix-*` (svix's own library tries them the other way
 * round; a sender that sends both signs both alike). The three values always
 * come from one family. Without a complete family, the one the sender
 * started is reported as missing a header, or `webhook-*` when neither is
 * there.
 */
export function signatureHeaderNames(headers: HeadersInput): SignatureHeaderNames {
  const families = [STANDARD_HEADERS, SVIX_HEADERS];
  const names = (family: SignatureHeaderNames) => [family.id, family.timestamp, family.signature];
  return (
    families.find((family) => names(family).every((name) => hasHeader(headers, name))) ??
    families.find((family) => names(family).some((name) => hasHeader(headers, name))) ??
    STANDARD_HEADERS
  );
}

/** The header's first value if present, for logging a request that failed verification. */
export function peekHeader(headers: HeadersInput, name: string): string | undefined {
  const value = lookup(headers, name);
  return (typeof value === "string" ? value : value?.[0]) || undefined;
}

/**
 * A header that must occur once. A repeated message id or timestamp is
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
