// Ids are ULIDs, whose first 10 characters encode their creation time, so a
// time range is an id range: filters on time use the (…, id) indexes that
// keyset pagination already walks instead of a created_at scan.
import { encodeTime } from "ulidx";

/** The smallest (edge "start") or largest (edge "end") id with this prefix created at `at`. */
export function idAt(prefix: string, at: Date, edge: "start" | "end"): string {
  const time = encodeTime(Math.max(0, Math.min(at.getTime(), 2 ** 48 - 1)), 10);
  return `${prefix}_${time}${(edge === "start" ? "0" : "Z").repeat(16)}`;
}
