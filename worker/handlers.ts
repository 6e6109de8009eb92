// Maps each job of the contract (lib/queue/jobs.ts) to what the worker
// does with it. The payload is parsed again here: the queue is a boundary.
import { context, SpanStatusCode } from "@opentelemetry/api";
import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import {
  Deferred,
  makeDueAttempts,
  makeFirstAttempts,
  makeManualAttempt,
  makeScheduledAttempt,
  type AttemptDeps,
  type BatchOutcome,
  type Outcome,
} from "../lib/sending/make-attempt";
import { postOperationalEvent } from "../lib/sending/post-operational-event";
import { jobSchemas, type JobData, type JobName } from "../lib/queue/jobs";
import { contextFromCarrier, tracer } from "../lib/platform/tracing";

type JobOutcome = Outcome | BatchOutcome;
type Handlers = { [Name in JobName]: (deps: AttemptDeps, data: JobData<Name>) => Promise<JobOutcome> };

const handlers: Handlers = {
  "first-attempts": makeFirstAttempts,
  "due-attempts": makeDueAttempts,
  "scheduled-attempt": makeScheduledAttempt,
  "manual-attempt": makeManualAttempt,
  "operational-event": postOperationalEvent,
};

function isJobName(name: string): name is JobName {
  return Object.hasOwn(jobSchemas, name);
}

function describe(outcome: JobOutcome): string {
  if (outcome instanceof Deferred) return "deferred";
  if (typeof outcome === "string") return outcome;
  return Object.entries(outcome)
    .map(([name, count]) => `${name}=${count}`)
    .join(" ");
}

export function createJobHandler(deps: AttemptDeps) {
  return async (job: Job, token: string | undefined) => {
    const name = job.name;
    const data: unknown = job.data;
    if (!isJobName(name)) throw new UnrecoverableError(`unknown job ${name}`);
    const parsed = jobSchemas[name].safeParse(data);
    if (!parsed.success) throw new UnrecoverableError(`invalid ${name} job: ${parsed.error.message}`);
    // The cast is safe: `parsed.data` was validated by the schema of `name`.
    const handler = handlers[name] as (deps: AttemptDeps, data: unknown) => Promise<JobOutcome>;
    // The attempt continues the trace of whoever queued it (API request, retry,
    // dashboard); a first-attempts job's deliveries each continue their own.
    const trace = "trace" in parsed.data ? parsed.data.trace : undefined;
    return context.with(contextFromCarrier(trace), () =>
      tracer.startActiveSpan(`job ${name}`, async (span) => {
        span.setAttribute("hookpost.job_id", job.id ?? "");
        try {
          const outcome = await handler(deps, parsed.data);
          span.setAttribute("hookpost.outcome", describe(outcome));
          if (outcome instanceof Deferred) {
            // Frees this worker slot for other endpoints; BullMQ keeps the job.
            await job.moveToDelayed(Date.now() + outcome.delayMs, token);
            throw new DelayedError();
          }
          return outcome;
        } catch (error) {
          if (error instanceof DelayedError) throw error;
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw error;
        } finally {
          span.end();
        }
      }),
    );
  };
}
