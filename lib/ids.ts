// Prefixed, time-sortable identifiers (ULID). Sorting by id sorts by
// creation time, which is what keyset pagination relies on.
import { encodeTime, monotonicFactory } from "ulidx";

const nextUlid = monotonicFactory();

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
} as const;

export type IdKind = keyof typeof idPrefixes;

export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${nextUlid()}`;
}

/**
 * The smallest id of `kind` created at or after `time`: a time range becomes
 * an id range, which the primary key index answers without a time index.
 */
export function idLowerBound(kind: IdKind, time: Date): string {
  return `${idPrefixes[kind]}_${encodeTime(time.getTime(), 10)}${"0".repeat(16)}`;
}
