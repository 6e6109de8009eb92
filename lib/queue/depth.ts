// Samples how many jobs wait in each state, for the queue-depth gauge.
import type { Queue } from "bullmq";
import type { Logger } from "../platform/logger";
import { getMetrics } from "../platform/metrics";

const STATES = ["waiting", "delayed", "active", "failed", "prioritized"] as const;

export function sampleQueueDepth(queue: Queue, logger: Logger, intervalMs: number): { stop(): void } {
  const gauge = getMetrics().queueJobs;
  const sample = () => {
    queue
      .getJobCounts(...STATES)
      .then((counts) => {
        for (const state of STATES) gauge.set({ state }, counts[state] ?? 0);
      })
      .catch((error: unknown) => logger.warn({ err: error }, "could not sample queue depth"));
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return { stop: () => clearInterval(timer) };
}
