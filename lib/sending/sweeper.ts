// Rebuilds the queue from the database. A delivery that is due but whose
// job was never added (API crashed after commit, Redis down or flushed, job
// dropped after repeated worker crashes) is enqueued again, as a job of its
// own. A delivery whose job is still in Redis is left to it: the batch job
// its row names (first attempts, due attempts), or its own job (ids are
// deterministic). A row that names no job is the scheduler's to queue
// (lib/sending/scheduler.ts).
import type { Db } from "../platform/db";
import type { Logger } from "../platform/logger";
import { runPeriodically, type Periodic } from "../platform/periodic";
import { getMetrics } from "../platform/metrics";
import { scheduledAttemptJobId } from "../queue/jobs";
import type { DeliveryProducer } from "../queue/producer";

/** Leave a fresh delivery to the API's own enqueue for this long before stepping in. */
export const SWEEP_GRACE_MS = 5_000;
/** Rows read by one sweep, oldest due first. */
export const SWEEP_BATCH = 1_000;

interface DueRow {
  id: string;
  endpoint_id: string;
  scheduled_attempts: number;
  next_attempt_job: string;
}

const ownJobOf = (row: DueRow) => scheduledAttemptJobId(row.id, row.scheduled_attempts + 1);

export async function sweepDueDeliveries(db: Db, producer: DeliveryProducer, logger: Logger): Promise<number> {
  const rows = await db.$queryRaw<DueRow[]>`
    SELECT id, endpoint_id, scheduled_attempts, next_attempt_job FROM deliveries
    WHERE status = 'pending' AND next_attempt_job IS NOT NULL
      AND next_attempt_at <= now() - make_interval(secs => ${SWEEP_GRACE_MS / 1000})
    ORDER BY next_attempt_at
    LIMIT ${SWEEP_BATCH}`;
  // A delivery its endpoint's cap or rate limit keeps waiting is handed to
  // the scheduler (its row names no job), so it is not read here. Left
  // overdue with a job of its own, a hanging endpoint's backlog filled every
  // sweep's batch, and a lost delivery behind it was never reached.
  // Each job is looked for in the shard of the row's endpoint: a batch job's id is used by every shard it spans.
  const live = await producer.existingJobs(
    rows.flatMap((row) => [
      { endpointId: row.endpoint_id, jobId: row.next_attempt_job },
      { endpointId: row.endpoint_id, jobId: ownJobOf(row) },
    ]),
  );
  const due = rows.filter(
    (row) => !live(row.endpoint_id, row.next_attempt_job) && !live(row.endpoint_id, ownJobOf(row)),
  );
  if (due.length === 0) return 0;
  await producer.addScheduled(
    due.map((row) => ({ deliveryId: row.id, endpointId: row.endpoint_id, attempt: row.scheduled_attempts + 1 })),
  );
  getMetrics().sweeperReenqueued.inc(due.length);
  logger.debug({ count: due.length }, "sweeper enqueued due deliveries");
  return due.length;
}

/** Runs the sweep every `intervalMs` until stopped. */
export function startSweeper(db: Db, producer: DeliveryProducer, logger: Logger, intervalMs: number): Periodic {
  return runPeriodically(
    intervalMs,
    () => sweepDueDeliveries(db, producer, logger),
    (error) => logger.warn({ err: error }, "sweep failed; retrying next interval"),
  );
}
