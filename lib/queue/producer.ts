// Adds delivery jobs. Used by the API (new events, manual retries, test
// events) and by the worker (due attempts, the sweeper's finds). Each job
// goes to the queue shard of its endpoint (lib/queue/shards.ts); a batch of
// many endpoints' deliveries becomes one job per shard, under one id.
import { Queue } from "bullmq";
import { currentTraceCarrier } from "../platform/tracing";
import { newUlid } from "../platform/ids";
import { withTimeout } from "../platform/with-timeout";
import { DELIVERY_QUEUE, scheduledAttemptJobId, type JobData, type JobName } from "./jobs";
import { isCluster, type RedisClient } from "./redis";
import { queueShards, shardOf, type QueueShard } from "./shards";

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

/** A delivery and the endpoint it goes to, which decides its shard. */
export interface DeliveryRef {
  deliveryId: string;
  endpointId: string;
}

export type ShardQueue = QueueShard & { queue: Queue };

/** Whether a job is in its endpoint's shard: see DeliveryProducer.existingJobs. */
export type JobPresence = (endpointId: string, jobId: string) => boolean;

export class DeliveryProducer {
  readonly shards: ShardQueue[];

  constructor(
    readonly connection: RedisClient,
    prefix: string,
    shardCount = 1,
  ) {
    this.shards = queueShards(prefix, shardCount, isCluster(connection)).map((shard) => ({
      ...shard,
      queue: new Queue(DELIVERY_QUEUE, { connection, prefix: shard.prefix, defaultJobOptions }),
    }));
  }

  get queues(): Queue[] {
    return this.shards.map((shard) => shard.queue);
  }

  /** The queue that holds every job of the endpoint's deliveries. */
  queueOf(endpointId: string): Queue {
    return this.shards[shardOf(endpointId, this.shards.length)]!.queue;
  }

  /** The BullMQ prefix of the endpoint's shard: keys of the endpoint's own (its rate limit) go beside its jobs. */
  prefixOf(endpointId: string): string {
    return this.shards[shardOf(endpointId, this.shards.length)]!.prefix;
  }

  /** Items grouped by their endpoint's shard, in their order. */
  private byShard<T extends { endpointId: string }>(items: T[]): Array<[Queue, T[]]> {
    const groups = new Map<number, T[]>();
    for (const item of items) {
      const index = shardOf(item.endpointId, this.shards.length);
      const group = groups.get(index) ?? [];
      group.push(item);
      groups.set(index, group);
    }
    return [...groups].map(([index, group]) => [this.shards[index]!.queue, group]);
  }

  /**
   * Resolves once every item's job is in Redis: attempts the sweeper found
   * without a job, or a test event's. `asked` is for an attempt someone is
   * waiting to see (a test event): its job goes to the front of the queue,
   * and it is sent even to an endpoint that is only being probed.
   */
  async addScheduled(items: Array<DeliveryRef & { attempt: number; asked?: boolean }>): Promise<void> {
    if (items.length === 0) return;
    const name = "scheduled-attempt" satisfies JobName;
    const trace = currentTraceCarrier();
    await enqueueing(
      Promise.all(
        this.byShard(items).map(([queue, group]) =>
          queue.addBulk(
            group.map(({ deliveryId, attempt, asked }) => ({
              name,
              data: { deliveryId, attempt, ...(asked ? { asked } : {}), trace } satisfies JobData<typeof name>,
              opts: { jobId: scheduledAttemptJobId(deliveryId, attempt), lifo: asked === true },
            })),
          ),
        ),
      ),
    );
  }

  /**
   * The first attempts of a batch of deliveries: one job per shard, each
   * under `jobId`, the id their rows record.
   */
  async addFirstAttempts(
    jobId: string,
    deliveries: Array<DeliveryRef & { trace?: Record<string, string> }>,
  ): Promise<void> {
    if (deliveries.length === 0) return;
    const name: JobName = "first-attempts";
    await enqueueing(
      Promise.all(
        this.byShard(deliveries).map(([queue, group]) => {
          const data = { deliveries: group.map(({ deliveryId, trace }) => ({ deliveryId, trace })) };
          return queue.add(name, data satisfies JobData<typeof name>, { jobId });
        }),
      ),
    );
  }

  /** Scheduled attempts that came due together: one job per shard, each under `jobId`, the id their rows record. */
  async addDueAttempts(
    jobId: string,
    attempts: Array<DeliveryRef & Omit<JobData<"due-attempts">["attempts"][number], "deliveryId">>,
  ): Promise<void> {
    if (attempts.length === 0) return;
    const name: JobName = "due-attempts";
    await enqueueing(
      Promise.all(
        this.byShard(attempts).map(([queue, group]) => {
          const data = { attempts: group.map(({ endpointId: _, ...attempt }) => attempt) };
          return queue.add(name, data satisfies JobData<typeof name>, { jobId });
        }),
      ),
    );
  }

  /**
   * A retry someone asked for goes to the front of the queue: they are
   * watching the delivery for it, and a backlog of first attempts would
   * keep them waiting for minutes. A replay passes `delayMs`, which
   * spreads its jobs so that a recovering endpoint is not flooded; those
   * keep their order, behind what is already queued (a delayed job joins
   * the back of the queue when it comes due).
   */
  async addManual(delivery: DeliveryRef, requestedBy: string, options: { delayMs?: number } = {}): Promise<void> {
    const name: JobName = "manual-attempt";
    const { deliveryId } = delivery;
    await enqueueing(
      this.queueOf(delivery.endpointId).add(
        name,
        { deliveryId, requestedBy, trace: currentTraceCarrier() } satisfies JobData<typeof name>,
        {
          jobId: `${deliveryId}-m${newUlid()}`,
          delay: Math.max(0, options.delayMs ?? 0),
          lifo: options.delayMs === undefined,
        },
      ),
    );
  }

  /** Operational events concern no endpoint's order: they go to the first shard. */
  async addOperational(operationalEventIds: string[]): Promise<void> {
    if (operationalEventIds.length === 0) return;
    const name: JobName = "operational-event";
    await enqueueing(
      this.shards[0]!.queue.addBulk(
        operationalEventIds.map((operationalEventId) => ({
          name,
          data: { operationalEventId, trace: currentTraceCarrier() } satisfies JobData<typeof name>,
          opts: { jobId: operationalEventId, attempts: 10, backoff: { type: "exponential", delay: 5_000 } },
        })),
      ),
    );
  }

  /**
   * Which of these jobs are still queued, delayed or running, each looked
   * for in its endpoint's shard: finished ones are removed, so a job whose
   * hash exists is one of those. One EXISTS per job, one round trip per
   * shard (a pipeline's keys must share a slot on a cluster, as a shard's
   * do), far cheaper than adding a job that is there.
   */
  async existingJobs(refs: Array<{ endpointId: string; jobId: string }>): Promise<JobPresence> {
    const wanted = new Map<number, Set<string>>();
    for (const ref of refs) {
      const index = shardOf(ref.endpointId, this.shards.length);
      wanted.set(index, (wanted.get(index) ?? new Set()).add(ref.jobId));
    }
    const found = new Set<string>();
    await enqueueing(
      Promise.all(
        [...wanted].map(async ([index, jobIds]) => {
          const queue = this.shards[index]!.queue;
          const ids = [...jobIds];
          const pipeline = this.connection.pipeline();
          for (const id of ids) pipeline.exists(queue.toKey(id));
          const replies = (await pipeline.exec()) ?? [];
          ids.forEach((id, position) => {
            const [error, count] = replies[position] ?? [];
            if (error) throw error;
            if (count === 1) found.add(`${index}/${id}`);
          });
        }),
      ),
    );
    return (endpointId, jobId) => found.has(`${shardOf(endpointId, this.shards.length)}/${jobId}`);
  }

  async close(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.close()));
  }
}
