// Queues the scheduled attempts that have come due and that no job holds:
// retries, and attempts an endpoint's cap or rate limit held back, whose
// rows say when they are due (next_attempt_at) and leave next_attempt_job
// empty. Every due row is claimed by one statement and queued as one
// due-attempts job, so a retry or a refusal costs what a first attempt
// costs instead of a delayed job of its own each (a thousand failing
// deliveries a second were a thousand jobs a second). They start at most
// one interval late, never early.
//
// The job is one per queue shard the claimed rows' endpoints span, all
// under the id the rows name (lib/queue/producer.ts).
//
// Claiming names the job in the rows before the job is added: if the add
// fails, the rows name a job that is not in Redis, and the sweeper
// enqueues them on its own (lib/sending/sweeper.ts). Several workers
// claim disjoint rows (SKIP LOCKED).
import { Prisma } from "@prisma/client";
import { queryRows, type Pool } from "../platform/db";
import type { Logger } from "../platform/logger";
import { getMetrics } from "../platform/metrics";
import { runPeriodically, type Periodic } from "../platform/periodic";
import { dueAttemptsJobId } from "../queue/jobs";
import type { DeliveryProducer } from "../queue/producer";

/** At most this many attempts to a job; a fuller backlog is claimed by the next statement at once. */
export const DUE_ATTEMPTS_PER_JOB = 500;

/** Claims the due deliveries no job holds, up to `limit`, and queues them as one job; returns how many. */
export async function queueDueAttempts(
  pool: Pool,
  producer: DeliveryProducer,
  limit = DUE_ATTEMPTS_PER_JOB,
): Promise<number> {
  const jobId = dueAttemptsJobId();
  const claimed = await queryRows<{ id: string; endpoint_id: string; attempt: number }>(
    pool,
    // MATERIALIZED: the claim runs once, then each claimed row is updated by
    // its primary key, whatever the planner guesses of an empty table.
    Prisma.sql`
    WITH due AS MATERIALIZED (
      SELECT id FROM deliveries
      WHERE status = 'pending' AND next_attempt_job IS NULL AND next_attempt_at <= now()
      ORDER BY next_attempt_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE deliveries d SET next_attempt_job = ${jobId}
    FROM due
    WHERE d.id = due.id
    RETURNING d.id, d.endpoint_id, d.scheduled_attempts + 1 AS attempt`,
  );
  await producer.addDueAttempts(
    jobId,
    claimed.map((row) => ({ deliveryId: row.id, endpointId: row.endpoint_id, attempt: row.attempt })),
  );
  getMetrics().dueAttemptsQueued.inc(claimed.length);
  return claimed.length;
}

/**
 * Queues due attempts every `intervalMs`, and again at once while a claim
 * comes back full, until stopped.
 */
export function startScheduler(pool: Pool, producer: DeliveryProducer, logger: Logger, intervalMs: number): Periodic {
  let stopped = false;
  const periodic = runPeriodically(
    intervalMs,
    async () => {
      while (!stopped && (await queueDueAttempts(pool, producer)) === DUE_ATTEMPTS_PER_JOB);
    },
    (error) => logger.warn({ err: error }, "queueing due attempts failed; retrying next interval"),
  );
  return {
    stop() {
      stopped = true;
      return periodic.stop();
    },
  };
}
