// How many jobs wait in each state, summed over the queue's shards: for the
// queue-depth gauge and the System page.
import type { Queue } from "bullmq";
import type { Logger } from "../platform/logger";
import { getMetrics } from "../platform/metrics";

const STATES = ["waiting", "delayed", "active", "failed", "prioritized"] as const;

export type JobCounts = Record<(typeof STATES)[number], number>;

export async function countJobs(queues: Queue[]): Promise<JobCounts> {
  const perShard = await Promise.all(queues.map((queue) => queue.getJobCounts(...STATES)));
  const total = Object.fromEntries(STATES.map((state) => [state, 0])) as JobCounts;
  for (const counts of perShard) for (const state of STATES) total[state] += counts[state] ?? 0;
  return total;
}

export function sampleQueueDepth(queues: Queue[], logger: Logger, intervalMs: number): { stop(): void } {
  const gauge = getMetrics().queueJobs;
  const sample = () => {
    countJobs(queues)
      .then((counts) => {
        for (const state of STATES) gauge.set({ state }, counts[state]);
      })
      .catch((error: unknown) => logger.warn({ err: error }, "could not sample queue depth"));
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return { stop: () => clearInterval(timer) };
}
