// The worker's attempts, one job kind each. Every step is safe to repeat:
// the delivery row decides whether a job is still due, so a duplicate or
// stale job (after a crash, a sweeper re-enqueue, a manual success)
// changes nothing.
//
//   batch-attempts.ts     first, due and single scheduled attempts (jobs)
//   scheduled-attempt.ts  one step of a delivery's schedule
//   manual-attempt.ts     an attempt someone asked for
//   load-and-send.ts      load, wait for room, send
//   acquire-sending.ts    the endpoint's concurrency cap and rate limit
//   exchange.ts           the request, and what its answer says of the endpoint
//   record-attempt.ts     decide the outcome (lib/deliveries/attempt-outcome.ts)
//                         and record it (lib/deliveries/attempt-store.ts)
export { Deferred, type AttemptDeps, type BatchOutcome, type Outcome } from "./attempt-deps";
export { makeDueAttempts, makeFirstAttempts, makeScheduledAttempt } from "./batch-attempts";
export { makeManualAttempt } from "./manual-attempt";
