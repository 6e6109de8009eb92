// Prefixed, time-sortable identifiers (ULID). Sorting by id sorts by
// creation time, which is what keyset pagination relies on.
import { randomFillSync } from "node:crypto";
import { encodeTime, monotonicFactory, ulid } from "ulidx";

/**
 * ulidx draws one random number per character, each a separate
 * getRandomValues call; this serves them from a buffer refilled from the
 * same source, so a new id costs a slice of a call instead of sixteen.
 */
const randomBytes = new Uint8Array(4096);
let randomOffset = randomBytes.length;
function pooledRandom(): number {
  if (randomOffset >= randomBytes.length) {
    randomFillSync(randomBytes);
    randomOffset = 0;
  }
  // ulidx scales this by 32, so each byte picks one of the 32 characters evenly.
  return randomBytes[randomOffset++]! / 256;
}

const nextUlid = monotonicFactory(pooledRandom);
// The monotonic factory never goes back in time: given an earlier instant it
// keeps its latest one. An id made at a given instant comes from this one.
const ulidAt = (time: number) => ulid(time, pooledRandom);

export const idPrefixes = {
  app: "app",
  endpoint: "ep",
  event: "msg",
  delivery: "dlv",
  attempt: "atm",
  apiKey: "key",
  operationalEvent: "opev",
  user: "usr",
  loginAttempt: "login",
  portalAccess: "portal",
  activity: "act",
  eventType: "evtype",
} as const;

export type IdKind = keyof typeof idPrefixes;

/**
 * A new id of `kind`, made now or, given `at`, at that instant: rows made
 * together (an event and its delivery) share their time, and so their day
 * partition (lib/retention/).
 */
export function newId(kind: IdKind, at?: Date): string {
  return `${idPrefixes[kind]}_${at === undefined ? nextUlid() : ulidAt(at.getTime())}`;
}

/**
 * A bare ULID from the same pooled source, for ids that are not rows (job
 * ids). ulidx's own ulid() draws sixteen getRandomValues calls, and in the
 * web process Next.js wraps that function: about 0.15 ms per id, and every
 * ingestion batch names its first-attempts job with one.
 */
export function newUlid(): string {
  return nextUlid();
}

/**
 * The smallest (edge "start") or largest (edge "end") id of `kind` created at
 * `at`. Ids are ULIDs whose first 10 characters encode their creation time,
 * so a time range becomes an id range: the (…, id) indexes that keyset
 * pagination walks answer it, with no index on a time column.
 */
export function idAt(kind: IdKind, at: Date, edge: "start" | "end"): string {
  return `${idTimePrefix(kind, at)}${(edge === "start" ? "0" : "Z").repeat(16)}`;
}

/**
 * An id of `kind` made at `at`, up to its random part. A statement that
 * creates rows in SQL names them with this and 16 random characters of its
 * own (the ingestion statement: 64 bits as hex digits, which are all in
 * the ULID alphabet), so its ids sort by time like every other.
 */
export function idTimePrefix(kind: IdKind, at: Date = new Date()): string {
  return `${idPrefixes[kind]}_${encodeTime(Math.max(0, Math.min(at.getTime(), 2 ** 48 - 1)), 10)}`;
}

/**
 * The smallest id of `kind` made at the instant `id` (of any kind) was:
 * a row made after another (an attempt after its delivery) has an id at
 * least this, which lets a query on the later rows skip the day
 * partitions before it (lib/retention/).
 */
export function firstIdSince(kind: IdKind, id: string): string {
  const time = id.slice(id.indexOf("_") + 1, id.indexOf("_") + 11);
  return `${idPrefixes[kind]}_${time}${"0".repeat(16)}`;
}
