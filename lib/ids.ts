// Prefixed, time-sortable identifiers (ULID). Sorting by id sorts by
// creation time, which is what keyset pagination relies on.
import { monotonicFactory } from "ulidx";

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
