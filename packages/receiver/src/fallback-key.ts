import { createHash } from "node:crypto";
import type { RawBody } from "./verify.js";

export interface FallbackKeyOptions {
  /**
   * When the event happened, best taken from the payload: it is the same in
   * every copy, where the time of receipt is not. Including it keeps
   * identical bodies from different times apart, at the cost of the
   * rounding boundary described below.
   */
  timestamp?: Date;
  /** Width of the time bucket in seconds; default 60. Only used with `timestamp`. */
  roundTo?: number;
}

export const DEFAULT_ROUND_TO_SECONDS = 60;

/**
 * An inbox key for senders that do not send an event id: the SHA-256 of the
 * raw body, optionally followed by the timestamp rounded down to `roundTo`
 * seconds. It is a guess at identity, not an identity (see the README):
 *
 * - two legitimate events with identical bodies collapse into one;
 * - a sender that re-serializes the body on retry (other key order or
 *   whitespace) produces a new key, so the retry is processed again;
 * - with a timestamp, two copies on either side of a bucket boundary get
 *   different keys however close together they are.
 */
export function fallbackKey(rawBody: RawBody, options: FallbackKeyOptions = {}): string {
  const hash = createHash("sha256");
  hash.update(rawBody instanceof ArrayBuffer ? new Uint8Array(rawBody) : rawBody);
  const digest = `sha256:${hash.digest("hex")}`;
  if (options.timestamp === undefined) return digest;

  const roundTo = options.roundTo ?? DEFAULT_ROUND_TO_SECONDS;
  if (!Number.isInteger(roundTo) || roundTo <= 0) {
    throw new RangeError("roundTo must be a positive whole number of seconds");
  }
  const bucketStart = Math.floor(options.timestamp.getTime() / 1000 / roundTo) * roundTo;
  return `${digest}:${bucketStart}`;
}
