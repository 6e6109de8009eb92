// What an attempt's outcome does to its delivery and its endpoint, decided
// from what the attempt loaded and what the endpoint answered. No I/O: the
// attempt store (lib/deliveries/attempt-store.ts) writes what is decided
// here, and it alone.
import type { Config } from "../platform/config";
import { statusClass } from "../platform/metrics";
import type { ExchangeResult } from "../sending/http-client";
import type { LoadedDelivery } from "./attempt-store";
import { nextAttemptAt, parseRetryAfter, type RetrySchedule } from "./retry-schedule";

export type Trigger = "scheduled" | "manual";

/** What an attempt says of its delivery. */
export type Settled = "succeeded" | "retry" | "failed";

/** The failure reason of a delivery whose deadline passed while its endpoint's breaker held it. */
export const EXPIRED_WHILE_HELD = "expired while the endpoint was failing";

export const isSuccess = (result: Pick<ExchangeResult, "statusCode">) =>
  result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;

/** 429 and 503 say when to come back; other failures follow the schedule. */
const honoursRetryAfter = (result: ExchangeResult) => result.statusCode === 429 || result.statusCode === 503;

/** A struggling endpoint gets breathing room, whatever the schedule says. */
const showsOverload = (result: ExchangeResult) => result.statusCode === 429 || result.error === "timeout";

/** The rules an attempt's outcome follows. */
export interface OutcomeRules {
  schedule: RetrySchedule;
  config: Pick<Config, "OVERLOAD_MIN_DELAY" | "ENDPOINT_DISABLE_AFTER">;
  /** For the retry's jitter; tests pin it. */
  random?: () => number;
}

/** What an attempt loaded, sent and was answered. */
export interface AttemptFacts {
  trigger: Trigger;
  /** The schedule step a scheduled attempt holds (its job's attempt number). */
  attemptNumber?: number;
  delivery: Pick<LoadedDelivery, "attemptCount" | "firstAttemptAt"> & {
    endpoint: Pick<LoadedDelivery["endpoint"], "failingSince">;
  };
  result: ExchangeResult;
  startedAt: Date;
  finishedAt: Date;
}

/** Where the delivery's row moves: its status and when it is due next. */
export interface DeliveryMove {
  status: "pending" | "succeeded" | "failed";
  next: Date | null;
}

export interface AttemptDecision {
  succeeded: boolean;
  /** A manual attempt is "succeeded" or "failed"; a scheduled one may also be a "retry". */
  outcome: Settled;
  /** When a retry is due. */
  next?: Date;
  /**
   * Where the delivery moves. A scheduled attempt's move is made only by
   * the holder of its schedule step (the store checks that against the
   * row). A manual success settles the delivery; a manual failure leaves it
   * and its schedule as they are (no move).
   */
  move?: DeliveryMove;
  /**
   * The endpoint's failure streak as this attempt leaves it: a success ends
   * it (null), a failure starts one unless one runs already.
   */
  failingSince: Date | null;
  /** Why the endpoint is disabled after this attempt, if it is. */
  disable?: { reason: string; cause: "gone" | "failing" };
  /** Set when the move fails the delivery for good: what its `delivery.exhausted` event reports. */
  exhaustion?: { attempts: number; lastStatus: string };
}

/**
 * Why the endpoint should be disabled after this attempt, if it should:
 * 410 Gone asks us to stop at once; otherwise a failure streak that has
 * lasted ENDPOINT_DISABLE_AFTER means nobody is fixing it.
 */
function disableFor(facts: AttemptFacts, disableAfterMs: number): AttemptDecision["disable"] {
  const { result, startedAt } = facts;
  if (result.statusCode === 410) return { reason: "endpoint answered 410 Gone", cause: "gone" };
  const since = facts.delivery.endpoint.failingSince;
  if (!isSuccess(result) && since && startedAt.getTime() - since.getTime() >= disableAfterMs) {
    return { reason: `failing since ${since.toISOString()} (last error: ${statusClass(result)})`, cause: "failing" };
  }
  return undefined;
}

/** When a failed scheduled attempt's delivery is tried again, or undefined when its schedule is spent. */
function retryAt(facts: AttemptFacts, rules: OutcomeRules): Date | undefined {
  const { result, finishedAt } = facts;
  return nextAttemptAt({
    schedule: rules.schedule,
    failures: facts.attemptNumber ?? 1,
    firstAttemptAt: facts.delivery.firstAttemptAt ?? facts.startedAt,
    now: finishedAt,
    retryAfter: honoursRetryAfter(result) ? parseRetryAfter(result.retryAfterHeader, finishedAt) : undefined,
    minDelay: showsOverload(result) ? rules.config.OVERLOAD_MIN_DELAY : undefined,
    random: rules.random,
  });
}

/** The delivery's side of a scheduled attempt: settled, retried on its schedule, or failed for good. */
function scheduledMove(facts: AttemptFacts, rules: OutcomeRules): Pick<AttemptDecision, "outcome" | "next" | "move"> {
  if (isSuccess(facts.result)) return { outcome: "succeeded", move: { status: "succeeded", next: null } };
  if (facts.result.statusCode === 410) return { outcome: "failed", move: { status: "failed", next: null } };
  const next = retryAt(facts, rules);
  if (next) return { outcome: "retry", next, move: { status: "pending", next } };
  return { outcome: "failed", move: { status: "failed", next: null } };
}

/** Everything an attempt's outcome does to its delivery and its endpoint. */
export function decideAttempt(facts: AttemptFacts, rules: OutcomeRules): AttemptDecision {
  const succeeded = isSuccess(facts.result);
  const delivery =
    facts.trigger === "manual"
      ? succeeded
        ? { outcome: "succeeded" as const, move: { status: "succeeded" as const, next: null } }
        : { outcome: "failed" as const }
      : scheduledMove(facts, rules);
  // A 410 disables the endpoint instead: the operator hears of that, not of each delivery.
  const exhausts = facts.trigger === "scheduled" && delivery.outcome === "failed" && facts.result.statusCode !== 410;
  return {
    succeeded,
    ...delivery,
    failingSince: succeeded ? null : (facts.delivery.endpoint.failingSince ?? facts.startedAt),
    disable: disableFor(facts, rules.config.ENDPOINT_DISABLE_AFTER),
    exhaustion: exhausts
      ? { attempts: facts.delivery.attemptCount + 1, lastStatus: statusClass(facts.result) }
      : undefined,
  };
}

/**
 * Whether a scheduled attempt is to be sent: "not due" when its row has
 * moved past it (settled, or its step taken), "endpoint disabled" when the
 * delivery is to fail instead, kept for a replay after re-enabling.
 */
export function admitScheduled(
  delivery: Pick<LoadedDelivery, "status" | "scheduledAttempts"> & {
    endpoint: Pick<LoadedDelivery["endpoint"], "disabled">;
  },
  attemptNumber: number,
): "send" | "not due" | "endpoint disabled" {
  if (delivery.status !== "pending" || delivery.scheduledAttempts >= attemptNumber) return "not due";
  if (delivery.endpoint.disabled) return "endpoint disabled";
  return "send";
}

/** A held delivery that expired: it fails, unsent, and its `delivery.exhausted` event says why. */
export interface Expired {
  held: false;
  deadline: Date;
  failureReason: string;
  exhaustion: { attempts: number; lastStatus: string };
}

/**
 * What becomes of a delivery its endpoint's breaker held back: it waits,
 * unsent, until its deadline (HELD_DELIVERY_DEADLINE from its first
 * attempt, or its creation if it was never sent), and past it expires.
 */
export function decideHeld(
  delivery: Pick<LoadedDelivery, "firstAttemptAt" | "createdAt" | "attemptCount">,
  now: Date,
  heldDeadlineMs: number,
): { held: true; until: Date } | Expired {
  const since = delivery.firstAttemptAt ?? delivery.createdAt;
  const deadline = new Date(since.getTime() + heldDeadlineMs);
  if (now < deadline) return { held: true, until: deadline };
  return {
    held: false,
    deadline,
    failureReason: EXPIRED_WHILE_HELD,
    exhaustion: { attempts: delivery.attemptCount, lastStatus: EXPIRED_WHILE_HELD },
  };
}
