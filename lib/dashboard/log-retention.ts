// What the endpoint log says about how far back it goes: the worker drops
// whole days past RETENTION (lib/retention/), so older deliveries are gone.
import { DAY_MS } from "../retention/partitions";

/** "Deliveries are kept for 30 days.", from RETENTION in milliseconds. */
export function logRetentionNotice(retentionMs: number): string {
  const days = retentionMs / DAY_MS;
  const hours = retentionMs / (60 * 60 * 1000);
  const span = Number.isInteger(days)
    ? `${days} ${days === 1 ? "day" : "days"}`
    : Number.isInteger(hours)
      ? `${hours} hours`
      : `${Math.floor(days)} days`;
  return `Deliveries are kept for ${span}; older ones are removed with their attempts.`;
}
