// Rebuilds the queue from the database. A delivery that is due but whose
// job was never added (API crashed after commit, Redis down or flushed, job
// dropped after repeated worker crashes) is enqueued again. A delivery
// whose job is still in Redis is left to it: its own job (ids are
// deterministic), or, for a first attempt, the first-attempts job its row
// names.
import type { Db } from "../db";
import type { Logger } from "../logger";
import { getMetrics } from "../metrics";
import { scheduledAttemptJobId } from "../queue/jobs";
import type { DeliveryProducer } from "../queue/producer";

/** Leave a fresh delivery to the API's own enqueue for this long before stepping in. */
export const SWEEP_GRACE_MS = 5_000;
const BATCH = 1_000;

interface DueRow {
  id: string;
  scheduled_attempts: number;
  first_attempt_job: string | null;
}

/** The first-attempts job that may still hold this delivery: only a first attempt is ever in one. */
const batchJobOf = (row: DueRow) => (row.scheduled_attempts === 0 ? row.first_attempt_job : null);
const ownJobOf = (row: DueRow) => scheduledAttemptJobId(row.id, row.scheduled_attempts + 1);

export async function sweepDueDeliveries(db: Db, producer: DeliveryProducer, logger: Logger): Promise<number> {
  const rows = await db.$queryRaw<DueRow[]>`
    SELECT id, scheduled_attempts, first_attempt_job FROM deliveries
    WHERE status = 'pending' AND next_attempt_at <= now() - make_interval(secs => ${SWEEP_GRACE_MS / 1000})
    ORDER BY next_attempt_at
    LIMIT ${BATCH}`;
  // A delivery an endpoint's cap keeps waiting has its job in the delayed
  // set while its row looks overdue: checked, not added again every sweep.
  const live = await producer.existingJobs(
    rows.flatMap((row) => {
      const batch = batchJobOf(row);
      return batch ? [ownJobOf(row), batch] : [ownJobOf(row)];
    }),
  );
  const due = rows.filter((row) => {
    const batch = batchJobOf(row);
    return !live.has(ownJobOf(row)) && (batch === null || !live.has(batch));
  });
  if (due.length === 0) return 0;
  await producer.addScheduled(due.map((row) => ({ deliveryId: row.id, attempt: row.scheduled_attempts + 1 })));
  getMetrics().sweeperReenqueued.inc(due.length);
  logger.debug({ count: due.length }, "sweeper enqueued due deliveries");
  return due.length;
}

/** Runs the sweep every `intervalMs` until stopped; a failed sweep is logged and tried again next tick. */
export function startSweeper(
  db: Db,
  producer: DeliveryProducer,
  logger: Logger,
  intervalMs: number,
): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  let stopped = false;
  const tick = () => {
    // A slow sweep is not overlapped by the next one.
    if (stopped || running) return;
    running = sweepDueDeliveries(db, producer, logger)
      .catch((error: unknown) => {
        logger.warn({ err: error }, "sweep failed; retrying next interval");
      })
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, intervalMs);
  tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
