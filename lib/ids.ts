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
 * The smallest (edge "start") or largest (edge "end") id of `kind` created at
 * `at`. Ids are ULIDs whose first 10 characters encode their creation time,
 * so a time range becomes an id range: the (…, id) indexes that keyset
 * pagination walks answer it, with no index on a time column.
 */
export function idAt(kind: IdKind, at: Date, edge: "start" | "end"): string {
  const time = encodeTime(Math.max(0, Math.min(at.getTime(), 2 ** 48 - 1)), 10);
  return `${idPrefixes[kind]}_${time}${(edge === "start" ? "0" : "Z").repeat(16)}`;
}
