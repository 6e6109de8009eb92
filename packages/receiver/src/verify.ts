import { createHmac, timingSafeEqual } from "node:crypto";
import {
  InvalidHeaderError,
  InvalidPayloadError,
  InvalidSignatureError,
  TimestampExpiredError,
  TimestampTooNewError,
} from "./errors.js";
import { requireJoinedHeader, requireSingleHeader, signatureHeaderNames, type HeadersInput } from "./headers.js";
import { normalizeSecrets } from "./secrets.js";

export type RawBody = string | Uint8Array | ArrayBuffer;

export interface VerifyOptions {
  /**
   * How far the timestamp header may be from now, in whole seconds, in
   * either direction. Five minutes is the Standard Webhooks recommendation:
   * enough for clock skew and slow networks, short enough that a captured
   * request cannot be replayed later.
   */
  toleranceSeconds?: number;
  /** The clock to check the timestamp against; fixed in tests. */
  now?: Date;
}

export interface VerifiedWebhook {
  /** `webhook-id` (or `svix-id`): the same for every retry of one message, the key for deduplication. */
  id: string;
  timestamp: Date;
  /** The parsed JSON body. Validate its shape before trusting fields: the signature proves origin, not schema. */
  payload: unknown;
}

export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

const SIGNATURE_VERSION = "v1";

/**
 * Checks a Standard Webhooks delivery and returns its id, timestamp and
 * parsed payload, or throws a `WebhookVerificationError` subclass. The
 * headers are read as `webhook-id`, `webhook-timestamp` and
 * `webhook-signature`, or as `svix-id`, `svix-timestamp` and `svix-signature`
 * from Svix-powered senders (see `signatureHeaderNames`).
 *
 * `rawBody` must be the bytes as received: JSON that was parsed and
 * serialized again rarely has the same bytes, and then no signature matches.
 * `secrets` takes several keys so a secret can be rotated without downtime:
 * a delivery signed with any of them is accepted.
 */
export function verify(
  rawBody: RawBody,
  headers: HeadersInput,
  secrets: string | readonly string[],
  options: VerifyOptions = {},
): VerifiedWebhook {
  const keys = normalizeSecrets(secrets);
  const names = signatureHeaderNames(headers);
  const id = requireSingleHeader(headers, names.id);
  const timestampHeader = requireSingleHeader(headers, names.timestamp);
  const signatureHeader = requireJoinedHeader(headers, names.signature);

  const timestamp = parseTimestamp(timestampHeader, names.timestamp);
  checkTolerance(timestamp, options);

  const body = toBuffer(rawBody);
  const candidates = parseSignatures(signatureHeader);
  const matched = keys.some((key) => {
    const expected = Buffer.from(sign(key, id, timestampHeader, body));
    return candidates.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
  });
  if (!matched) throw new InvalidSignatureError();

  let payload: unknown;
  try {
    payload = JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new InvalidPayloadError(error);
  }
  return { id, timestamp, payload };
}

/** The base64 HMAC-SHA256 of "id.timestamp.body", as the sender computes it. */
function sign(key: Buffer, id: string, timestamp: string, body: Buffer): string {
  return createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body).digest("base64");
}

function parseTimestamp(value: string, header: string): Date {
  if (!/^\d{1,12}$/.test(value)) throw new InvalidHeaderError(header, "not a Unix time in seconds");
  return new Date(Number(value) * 1000);
}

/**
 * Compares in whole seconds, the clock rounded down, as the `svix` and
 * `standardwebhooks` libraries do: a message exactly `tolerance` seconds old
 * is accepted throughout that second, not only at its first millisecond.
 */
function checkTolerance(timestamp: Date, options: VerifyOptions): void {
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const sentSeconds = timestamp.getTime() / 1000;
  if (nowSeconds - sentSeconds > tolerance) throw new TimestampExpiredError(timestamp, tolerance);
  if (sentSeconds - nowSeconds > tolerance) throw new TimestampTooNewError(timestamp, tolerance);
}

/**
 * "v1,abc= v1,def=" -> the encoded v1 signatures as bytes. The encoded form
 * is compared rather than the decoded digest because Node's base64 decoder
 * ignores stray characters, which would let many strings match one digest.
 * Other versions (v1a is asymmetric) are skipped, not errors: a sender may
 * add them next to v1.
 */
function parseSignatures(header: string): Buffer[] {
  return (
    header
      .split(/\s+/)
      // A Fetch Headers object joins a repeated header with ", ".
      .map((entry) => entry.replace(/,$/, ""))
      .flatMap((entry) => {
        const comma = entry.indexOf(",");
        if (comma === -1 || entry.slice(0, comma) !== SIGNATURE_VERSION) return [];
        return [Buffer.from(entry.slice(comma + 1))];
      })
  );
}

function toBuffer(body: RawBody): Buffer {
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}
