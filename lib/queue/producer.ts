// Adds delivery jobs. Used by the API (new events, manual retries, test
// events) and by the worker (due attempts, the sweeper's finds).
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { currentTraceCarrier } from "../platform/tracing";
import { newUlid } from "../platform/ids";
import { withTimeout } from "../platform/with-timeout";
import { DELIVERY_QUEUE, scheduledAttemptJobId, type JobData, type JobName } from "./jobs";

/** Completed and failed jobs are dropped: the attempts table is the log, and a kept job id would block re-enqueueing. */
const defaultJobOptions = {
  removeOnComplete: true,
  removeOnFail: true,
  // Retries of the job itself cover a worker that could not reach
  // PostgreSQL; HTTP failures are retried by the delivery schedule instead.
  attempts: 5,
  backoff: { type: "exponential", delay: 1000 },
} as const;

/** An add that takes longer than this is treated as Redis being down: callers must not hang on it. */
const ENQUEUE_TIMEOUT_MS = 2_000;

export class RedisUnavailableError extends Error {
  readonly code = "ECONNREFUSED";
  constructor() {
    super(`Redis did not answer within ${ENQUEUE_TIMEOUT_MS} ms`);
  }
}

/** Fails fast instead of hanging on a Redis that does not answer. */
function enqueueing<T>(work: Promise<T>): Promise<T> {
  return withTimeout(work, ENQUEUE_TIMEOUT_MS, () => new RedisUnavailableError());
}

export class DeliveryProducer {
  readonly queue: Queue;

  constructor(
    readonly connection: Redis,
    prefix: string,
  ) {
    this.queue = new Queue(DELIVERY_QUEUE, { connection, prefix, defaultJobOptions });
  }

  /**
   * Resolves once every item's job is in Redis: attempts the sweeper found
   * without a job, or a test event's. `asked` is for an attempt someone is
   * waiting to see (a test event): its job goes to the front of the queue,
   * and it is sent even to an endpoint that is only being probed.
   */
  async addScheduled(items: Array<{ deliveryId: string; attempt: number; asked?: boolean }>): Promise<void> {
    if (items.length === 0) return;
    const name = "scheduled-attempt" satisfies JobName;
    const trace = currentTraceCarrier();
    await enqueueing(
      this.queue.addBulk(
        items.map(({ deliveryId, attempt, asked }) => ({
          name,
          data: { deliveryId, attempt, ...(asked ? { asked } : {}), trace } satisfies JobData<typeof name>,
          opts: { jobId: scheduledAttemptJobId(deliveryId, attempt), lifo: asked === true },
        })),
      ),
    );
  }

  /** One job for the first attempts of a batch of deliveries; `jobId` is the one their rows record. */
  async addFirstAttempts(
    jobId: string,
    deliveries: Array<{ deliveryId: string; trace?: Record<string, string> }>,
  ): Promise<void> {
    if (deliveries.length === 0) return;
    const name: JobName = "first-attempts";
    await enqueueing(
      this.queue.add(name, { deliveries } satisfies JobData<typeof name>, {
        jobId,
      }),
    );
  }

  /** One job for scheduled attempts that came due together; `jobId` is the one their rows record. */
  async addDueAttempts(jobId: string, attempts: JobData<"due-attempts">["attempts"]): Promise<void> {
    if (attempts.length === 0) return;
    const name: JobName = "due-attempts";
    await enqueueing(this.queue.add(name, { attempts } satisfies JobData<typeof name>, { jobId }));
  }

  /**
   * A retry someone asked for goes to the front of the queue: they are
   * watching the delivery for it, and a backlog of first attempts would
   * keep them waiting for minutes. A replay passes `delayMs`, which
   * spreads its jobs so that a recovering endpoint is not flooded; those
   * keep their order, behind what is already queued (a delayed job joins
   * the back of the queue when it comes due).
   */
  async addManual(deliveryId: string, requestedBy: string, options: { delayMs?: number } = {}): Promise<void> {
    const name: JobName = "manual-attempt";
    await enqueueing(
      this.queue.add(name, { deliveryId, requestedBy, trace: currentTraceCarrier() } satisfies JobData<typeof name>, {
        jobId: `${deliveryId}-m${newUlid()}`,
        delay: Math.max(0, options.delayMs ?? 0),
        lifo: options.delayMs === undefined,
      }),
    );
  }

  async addOperational(operationalEventIds: string[]): Promise<void> {
    if (operationalEventIds.length === 0) return;
    const name: JobName = "operational-event";
    await enqueueing(
      this.queue.addBulk(
        operationalEventIds.map((operationalEventId) => ({
          name,
          data: { operationalEventId, trace: currentTraceCarrier() } satisfies JobData<typeof name>,
          opts: { jobId: operationalEventId, attempts: 10, backoff: { type: "exponential", delay: 5_000 } },
        })),
      ),
    );
  }

  /**
   * Which of these jobs are still queued, delayed or running: finished ones
   * are removed, so a job whose hash exists is one of those. One EXISTS per
   * job in one round trip, far cheaper than adding a job that is there.
   */
  async existingJobs(jobIds: string[]): Promise<Set<string>> {
    const distinct = [...new Set(jobIds)];
    if (distinct.length === 0) return new Set();
    const pipeline = this.connection.pipeline();
    for (const id of distinct) pipeline.exists(this.queue.toKey(id));
    const replies = (await enqueueing(pipeline.exec())) ?? [];
    return new Set(
      distinct.filter((_, index) => {
        const [error, count] = replies[index] ?? [];
        if (error) throw error;
        return count === 1;
      }),
    );
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
