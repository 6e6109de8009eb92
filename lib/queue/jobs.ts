// The contract between the web process (producer) and the worker
// (consumer): one queue, its job names, and a zod schema per job that the
// worker checks again before acting. Job data holds ids only, never secrets.
import { z } from "zod";
import { newUlid } from "../platform/ids";

export const DELIVERY_QUEUE = "deliveries";

/** W3C trace context of whoever queued the job, so the attempt joins its trace. */
const traceCarrier = z.record(z.string(), z.string()).optional();

export const jobSchemas = {
  /** Attempt number `attempt` of a delivery's retry schedule is due. */
  "scheduled-attempt": z.object({
    deliveryId: z.string(),
    attempt: z.number().int().min(1),
    /** Someone is waiting to see it (a test event): sent even to an endpoint that is only being probed. */
    asked: z.boolean().optional(),
    trace: traceCarrier,
  }),
  /**
   * The first attempt of every delivery one ingestion batch created: one
   * job for all of them, since queueing costs as much as an attempt's own
   * work. Each delivery keeps its request's trace.
   */
  "first-attempts": z.object({
    deliveries: z.array(z.object({ deliveryId: z.string(), trace: traceCarrier })).min(1),
  }),
  /**
   * Scheduled attempts that came due together, mostly retries: the
   * scheduler claims every due delivery no job holds and queues them as one
   * job, as ingestion does with first attempts (lib/sending/scheduler.ts).
   */
  "due-attempts": z.object({
    attempts: z
      .array(z.object({ deliveryId: z.string(), attempt: z.number().int().min(1), trace: traceCarrier }))
      .min(1),
  }),
  /** One extra attempt somebody asked for; it does not move the schedule. */
  "manual-attempt": z.object({
    deliveryId: z.string(),
    requestedBy: z.string(),
    trace: traceCarrier,
  }),
  /** Post an operational event to the operator's own webhook URL. */
  "operational-event": z.object({
    operationalEventId: z.string(),
    trace: traceCarrier,
  }),
} as const;

export type JobName = keyof typeof jobSchemas;
export type JobData<Name extends JobName> = z.infer<(typeof jobSchemas)[Name]>;

/**
 * The job id of a scheduled attempt. Deterministic, so adding it again
 * (after a crash, or by the sweeper) is a no-op while it is queued, and a
 * stale copy is recognised by the worker from the delivery row.
 */
export function scheduledAttemptJobId(deliveryId: string, attempt: number): string {
  // BullMQ reserves ":" in job ids.
  return `${deliveryId}-s${attempt}`;
}

/**
 * A new id for a first-attempts job. Chosen before the deliveries are
 * written, which record it (deliveries.next_attempt_job).
 */
export function firstAttemptsJobId(): string {
  return `first-${newUlid()}`;
}

/** A new id for a due-attempts job, recorded by the rows it claims (deliveries.next_attempt_job). */
export function dueAttemptsJobId(): string {
  return `due-${newUlid()}`;
}
