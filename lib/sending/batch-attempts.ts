// The worker's batch jobs: the attempts one job holds, made side by side
// as worker slots free up.
import { context, SpanStatusCode } from "@opentelemetry/api";
import { contextFromCarrier, tracer } from "../platform/tracing";
import type { JobData } from "../queue/jobs";
import { Deferred, type AttemptDeps, type BatchOutcome, type Outcome } from "./attempt-deps";
import { attemptIfDue, type ScheduledDeps } from "./scheduled-attempt";

export type BatchDeps = ScheduledDeps &
  Pick<AttemptDeps, "attempting" | "logger" | "slots"> & { store: Pick<AttemptDeps["store"], "postpone"> };

/** One attempt of a batch job: which delivery, which step of its schedule, and the trace it continues. */
interface BatchItem {
  deliveryId: string;
  attempt: number;
  /** Someone is waiting to see it (lib/queue/jobs.ts). */
  asked?: boolean;
  trace?: Record<string, string>;
}

/** An attempt refused by its endpoint for now, to be handed back to its row. */
interface Postponement {
  deliveryId: string;
  attempt: number;
  delayMs: number;
  cappedBy?: string;
}

/** One item's attempt, continuing the trace of whatever queued it (for a first attempt, the request that created its event). */
function attemptItem(deps: BatchDeps, item: BatchItem): Promise<Outcome> {
  return deps.attempting(() =>
    context.with(contextFromCarrier(item.trace), () =>
      tracer.startActiveSpan(item.attempt === 1 ? "delivery.first-attempt" : "delivery.retry", async (span) => {
        span.setAttribute("hookpost.delivery_id", item.deliveryId);
        span.setAttribute("hookpost.attempt", item.attempt);
        try {
          const log = deps.logger.child({ deliveryId: item.deliveryId, attempt: item.attempt });
          const outcome = await attemptIfDue(deps, item.deliveryId, item.attempt, log, {
            leaveOnStop: true,
            asked: item.asked,
          });
          span.setAttribute("hookpost.outcome", outcome instanceof Deferred ? "deferred" : outcome);
          return outcome;
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw error;
        } finally {
          span.end();
        }
      }),
    ),
  );
}

/** Counts the items' outcomes, and gathers the refused ones and the errors. */
function tally(items: BatchItem[], settled: Array<PromiseSettledResult<Outcome>>) {
  const counts: BatchOutcome = { succeeded: 0, retry: 0, failed: 0, skipped: 0, deferred: 0, left: 0, held: 0 };
  const deferred: Postponement[] = [];
  const errors: unknown[] = [];
  settled.forEach((result, index) => {
    const item = items[index]!;
    if (result.status === "rejected") errors.push(result.reason);
    else if (result.value instanceof Deferred) {
      counts.deferred++;
      deferred.push({
        deliveryId: item.deliveryId,
        attempt: item.attempt,
        delayMs: result.value.delayMs,
        cappedBy: result.value.cappedBy,
      });
    } else counts[result.value]++;
  });
  return { counts, deferred, errors };
}

/**
 * The attempts one job holds, side by side as worker slots free up: the
 * first attempts of an ingestion batch's deliveries, the retries the
 * scheduler found due together, or one attempt the sweeper or a test event
 * queued. A delivery refused by its endpoint is handed to the scheduler
 * (AttemptStore.postpone), which queues it when its turn comes. If any
 * attempt throws, the job throws once the others have ended, and its retry
 * skips the attempts already recorded. A worker that is stopping starts no
 * more of them: the job goes back to the queue for the rest (a Deferred),
 * and shutdown waits only for requests in flight.
 */
async function makeBatchAttempts(deps: BatchDeps, items: BatchItem[]): Promise<BatchOutcome | Deferred> {
  const settled = await Promise.allSettled(items.map((item) => attemptItem(deps, item)));
  const { counts, deferred, errors } = tally(items, settled);
  // A hanging endpoint refuses hundreds of attempts a second; as delayed
  // jobs of their own they would cost Redis more than the attempts made, so
  // each waits in its row and the scheduler queues it with the rest due.
  // Should this fail, the job is retried, and its rows still name it until then.
  await Promise.all(deferred.map(({ deliveryId, delayMs }) => deps.store.postpone({ deliveryId, delayMs })));
  // Only once the rows say so: a wake before the postpone would be undone by it.
  for (const { cappedBy, deliveryId, attempt } of deferred) {
    if (cappedBy) deps.slots.remember(cappedBy, { deliveryId, attempt });
  }
  if (errors.length > 0) {
    throw new AggregateError(errors, `${errors.length} of ${items.length} attempts failed`);
  }
  return counts.left > 0 ? new Deferred(0) : counts;
}

/** The first attempts of one ingestion batch's deliveries, each continuing its request's trace. */
export function makeFirstAttempts(deps: BatchDeps, job: JobData<"first-attempts">): Promise<BatchOutcome | Deferred> {
  return makeBatchAttempts(
    deps,
    job.deliveries.map((item) => ({ ...item, attempt: 1 })),
  );
}

/** One attempt of a delivery's schedule, queued on its own by the sweeper or for a test event. */
export function makeScheduledAttempt(
  deps: BatchDeps,
  job: JobData<"scheduled-attempt">,
): Promise<BatchOutcome | Deferred> {
  return makeBatchAttempts(deps, [job]);
}

/** The scheduled attempts the scheduler found due together (lib/sending/scheduler.ts). */
export function makeDueAttempts(deps: BatchDeps, job: JobData<"due-attempts">): Promise<BatchOutcome | Deferred> {
  return makeBatchAttempts(deps, job.attempts);
}
