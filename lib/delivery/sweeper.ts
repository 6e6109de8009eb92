// Rebuilds the queue from the database. A delivery that is due but whose
// job was never added (API crashed after commit, Redis down or flushed, job
// dropped after repeated worker crashes) is enqueued again. Job ids are
// deterministic, so a delivery whose job is still queued is left as it is.
import type { Db } from "../db";
import type { Logger } from "../logger";
import { getMetrics } from "../metrics";
import type { DeliveryProducer } from "../queue/producer";

/** Leave a fresh delivery to the API's own enqueue for this long before stepping in. */
export const SWEEP_GRACE_MS = 5_000;
const BATCH = 1_000;

export async function sweepDueDeliveries(db: Db, producer: DeliveryProducer, logger: Logger): Promise<number> {
  const due = await db.$queryRaw<Array<{ id: string; scheduled_attempts: number }>>`
    SELECT id, scheduled_attempts FROM deliveries
    WHERE status = 'pending' AND next_attempt_at <= now() - make_interval(secs => ${SWEEP_GRACE_MS / 1000})
    ORDER BY next_attempt_at
    LIMIT ${BATCH}`;
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
