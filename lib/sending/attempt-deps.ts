// What the worker's attempts are made with. Each step takes only the
// fields it uses (a Pick of these), so what a step can touch is in its signature.
import type { LimitFunction } from "p-limit";
import type { Agent } from "undici";
import type { Config } from "../platform/config";
import type { Db } from "../platform/db";
import type { Logger } from "../platform/logger";
import type { DeliveryProducer } from "../queue/producer";
import type { RetrySchedule } from "../deliveries/retry-schedule";
import type { DestinationPolicy } from "../endpoints/url-guard";
import type { AttemptStore } from "../deliveries/attempt-store";
import type { EndpointBreaker } from "./endpoint-breaker";
import type { EndpointSlots } from "./endpoint-slots";
import type { EndpointRateLimiter } from "./rate-limiter";

export interface AttemptDeps {
  /** For operational events (lib/sending/post-operational-event.ts). */
  db: Db;
  /** Loads deliveries and records attempts; the statements every attempt runs are batched across attempts. */
  store: AttemptStore;
  producer: DeliveryProducer;
  agent: Agent;
  policy: DestinationPolicy;
  schedule: RetrySchedule;
  config: Pick<
    Config,
    | "DELIVERY_TIMEOUT"
    | "OVERLOAD_MIN_DELAY"
    | "ENDPOINT_DISABLE_AFTER"
    | "HELD_DELIVERY_DEADLINE"
    | "OPERATOR_WEBHOOK_URL"
    | "OPERATOR_WEBHOOK_SECRET"
  >;
  /** For the operator's own URL, which may be private. */
  operatorAgent: Agent;
  logger: Logger;
  slots: EndpointSlots;
  /** Holds back scheduled attempts to an endpoint that fails everything, but for a probe now and then. */
  breaker: EndpointBreaker;
  rateLimiter: EndpointRateLimiter;
  /**
   * The worker's requests in flight, of every job: a first-attempts job
   * holds many deliveries, so the queue's concurrency alone does not bound them.
   */
  sending: LimitFunction;
  /**
   * The attempts of batch jobs under way in the worker: sending, waiting for
   * a slot, or recording. The rest wait as bare ids, so that the worker's
   * memory is bounded by this, not by how many deliveries its jobs name.
   */
  attempting: LimitFunction;
  /** Aborted when the worker starts shutting down: a first-attempts job then leaves what it has not started. */
  stopping?: AbortSignal;
  now?: () => Date;
}

export const clock = (deps: Pick<AttemptDeps, "now">) => deps.now?.() ?? new Date();

/** The endpoint is at its concurrency cap or rate limit: the job should come back after `delayMs`. */
export class Deferred {
  constructor(
    readonly delayMs: number,
    /** Set when the endpoint's cap refused it (not its rate limit): its row may be woken before `delayMs`. */
    readonly cappedBy?: string,
  ) {}
}

/** "left": a first attempt not started because the worker is stopping; its job runs again for it. */
export type Outcome = "succeeded" | "retry" | "failed" | "skipped" | "left" | "held" | Deferred;

/** How the deliveries of a first-attempts job ended, by count. */
export type BatchOutcome = Record<"succeeded" | "retry" | "failed" | "skipped" | "deferred" | "left" | "held", number>;
