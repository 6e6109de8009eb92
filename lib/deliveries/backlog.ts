// How far behind delivery is, read from the deliveries themselves. The
// queue's job counts say little about it: one first-attempts job carries a
// whole ingestion batch, and a retry waits in its row, not in Redis, until
// it is due.
import { Prisma } from "@prisma/client";
import type { Db } from "../platform/db";
import type { Logger } from "../platform/logger";
import { getMetrics } from "../platform/metrics";

/**
 * Counting stops here: enough to see a backlog and watch it grow or
 * drain, and no count reads more of the pending index than this.
 */
export const BACKLOG_COUNT_LIMIT = 100_000;

export interface DeliveryBacklog {
  /** Pending deliveries whose next attempt is due now, up to BACKLOG_COUNT_LIMIT. */
  due: number;
  /** How long the delivery due the longest has waited, in seconds; 0 when none is due. */
  oldestDueSeconds: number;
  /** Pending deliveries whose next attempt (a retry) is still to come, up to BACKLOG_COUNT_LIMIT. */
  scheduled: number;
}

export async function readDeliveryBacklog(db: Db): Promise<DeliveryBacklog> {
  // Each part reads the pending-only index (deliveries_pending_by_next_attempt)
  // from one end, so the cost follows the limit, not the table.
  const [row] = await db.$queryRaw<Array<{ due: bigint; scheduled: bigint; oldest_due_seconds: number | null }>>(
    Prisma.sql`
    SELECT (SELECT count(*) FROM (
              SELECT 1 FROM deliveries WHERE status = 'pending' AND next_attempt_at <= now()
              LIMIT ${BACKLOG_COUNT_LIMIT}) due) AS due,
           (SELECT count(*) FROM (
              SELECT 1 FROM deliveries WHERE status = 'pending' AND next_attempt_at > now()
              LIMIT ${BACKLOG_COUNT_LIMIT}) later) AS scheduled,
           extract(epoch FROM now() - (
              SELECT min(next_attempt_at) FROM deliveries WHERE status = 'pending'))::float8 AS oldest_due_seconds`,
  );
  return {
    due: Number(row!.due),
    // Negative when the earliest pending attempt is still to come: nothing is late.
    oldestDueSeconds: Math.max(0, row!.oldest_due_seconds ?? 0),
    scheduled: Number(row!.scheduled),
  };
}

/** Sets the backlog gauges from the database, for the scrape about to read them. */
export async function refreshBacklogGauges(db: Db): Promise<void> {
  const backlog = await readDeliveryBacklog(db);
  const metrics = getMetrics();
  metrics.deliveriesDue.set(backlog.due);
  metrics.oldestDueDeliverySeconds.set(backlog.oldestDueSeconds);
  metrics.retriesScheduled.set(backlog.scheduled);
}

/**
 * The process's metrics as a scrape reads them, the backlog gauges read
 * first. Should the read fail, the gauges keep their last reading: the
 * rest of the metrics are still worth serving.
 */
export async function metricsForScrape(db: Db, logger: Logger): Promise<string> {
  await refreshBacklogGauges(db).catch((error: unknown) =>
    logger.warn({ err: error }, "could not read the delivery backlog for a scrape"),
  );
  return getMetrics().registry.metrics();
}
