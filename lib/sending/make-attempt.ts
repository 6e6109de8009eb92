// One delivery attempt as the worker makes it: load, send, record, and
// schedule what comes next. Every step is safe to repeat: the delivery row
// decides whether a job is still due, so a duplicate or stale job (after a
// crash, a sweeper re-enqueue, a manual success) changes nothing.
import { context, SpanStatusCode } from "@opentelemetry/api";
import type { LimitFunction } from "p-limit";
import type { Agent } from "undici";
import type { Config } from "../platform/config";
import type { Db, Tx } from "../platform/db";
import { recordOperationalEvent } from "../events/operational-events";
import { newId } from "../platform/ids";
import type { Logger } from "../platform/logger";
import { getMetrics, statusClass } from "../platform/metrics";
import { contextFromCarrier, tracer } from "../platform/tracing";
import type { JobData } from "../queue/jobs";
import type { DeliveryProducer } from "../queue/producer";
import { nextAttemptAt, parseRetryAfter, type RetrySchedule } from "../deliveries/retry-schedule";
import type { DestinationPolicy } from "../endpoints/url-guard";
import type { AttemptStore, LoadedDelivery } from "../deliveries/attempt-store";
import type { EndpointBreaker } from "./endpoint-breaker";
import type { EndpointSlots, Release } from "./endpoint-slots";
import type { EndpointRateLimiter } from "./rate-limiter";
import { postWebhook, type ExchangeResult } from "./http-client";
import { buildWebhookRequest } from "./webhook-request";

export interface AttemptDeps {
  db: Db;
  /** The two statements every attempt runs, batched across concurrent attempts. */
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

const clock = (deps: AttemptDeps) => deps.now?.() ?? new Date();

const isSuccess = (result: ExchangeResult) =>
  result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;

/** 429 and 503 say when to come back; other failures follow the schedule. */
const honoursRetryAfter = (result: ExchangeResult) => result.statusCode === 429 || result.statusCode === 503;

/** A struggling endpoint gets breathing room, whatever the schedule says. */
const showsOverload = (result: ExchangeResult) => result.statusCode === 429 || result.error === "timeout";

async function exchange(deps: AttemptDeps, delivery: LoadedDelivery, now: Date, trigger: "scheduled" | "manual") {
  const request = buildWebhookRequest(delivery.event, delivery.endpoint, now);
  const result = await tracer.startActiveSpan("webhook.send", async (span) => {
    span.setAttributes({
      "hookpost.event_id": delivery.eventId,
      "hookpost.delivery_id": delivery.id,
      "hookpost.endpoint_id": delivery.endpointId,
      "hookpost.app_id": delivery.appId,
      "http.request.method": "POST",
    });
    const sent = await postWebhook({
      url: delivery.endpoint.url,
      headers: request.headers,
      body: request.body,
      timeoutMs: deps.config.DELIVERY_TIMEOUT,
      agent: deps.agent,
      policy: deps.policy,
    });
    if (sent.statusCode !== undefined) span.setAttribute("http.response.status_code", sent.statusCode);
    if (!isSuccess(sent))
      span.setStatus({ code: SpanStatusCode.ERROR, message: sent.error ?? `HTTP ${sent.statusCode}` });
    span.end();
    return sent;
  });
  const metrics = getMetrics();
  const statusLabel = statusClass(result);
  metrics.attempts.inc({ outcome: isSuccess(result) ? "success" : "failure", status_class: statusLabel, trigger });
  metrics.attemptDuration.observe({ status_class: statusLabel }, result.durationMs / 1000);
  deps.slots.observe(delivery.endpointId, result.durationMs, result.error === "timeout");
  await observeBreaker(deps, delivery, isSuccess(result));
  if (result.statusCode === 410) metrics.endpointsDisabled.inc({ reason: "gone" });
  return { recordedHeaders: request.recordedHeaders, result };
}

/**
 * Counts a sent attempt towards its endpoint's breaker. The request was
 * made whatever happens here, so a failure to write the breaker's state is
 * logged and the attempt is still recorded; the next attempt counts again.
 */
async function observeBreaker(deps: AttemptDeps, delivery: LoadedDelivery, succeeded: boolean): Promise<void> {
  const about = { endpointId: delivery.endpointId, appId: delivery.appId };
  try {
    const transition = await deps.breaker.observe({
      endpointId: delivery.endpointId,
      succeeded,
      state: delivery.endpoint,
    });
    // One line when an endpoint's probing starts and one when it ends, not one per delivery held.
    if (transition === "opened")
      deps.logger.warn(about, "endpoint keeps failing; its deliveries wait for a probe to succeed");
    else if (transition === "closed") deps.logger.info(about, "endpoint answered 2xx; its held deliveries are due now");
  } catch (error) {
    deps.logger.error(
      { ...about, err: error, deliveryId: delivery.id },
      "could not record the endpoint's breaker state",
    );
  }
}

/** A scheduled attempt the endpoint's breaker held back: not sent, and nothing recorded of it. */
class Held {
  constructor(readonly delivery: LoadedDelivery) {}
}

/**
 * Makes a held delivery wait in its row, unsent, for its endpoint's breaker
 * to close; none of its retry schedule is used. Past its deadline
 * (HELD_DELIVERY_DEADLINE from its first attempt, or its creation if it was
 * never sent) it fails instead, and says why.
 */
async function holdOrExpire(deps: AttemptDeps, delivery: LoadedDelivery, log: Logger): Promise<"held" | "failed"> {
  const since = delivery.firstAttemptAt ?? delivery.createdAt;
  const deadline = new Date(since.getTime() + deps.config.HELD_DELIVERY_DEADLINE);
  if (clock(deps) < deadline) {
    getMetrics().deliveriesHeld.inc();
    await deps.store.hold({ deliveryId: delivery.id, until: deadline });
    return "held";
  }
  const operationalEvents = await deps.db.$transaction(async (tx) => {
    const expired = await tx.delivery.updateMany({
      where: { id: delivery.id, status: "pending" },
      data: { status: "failed", nextAttemptAt: null, nextAttemptJob: null, failureReason: EXPIRED_WHILE_HELD },
    });
    if (expired.count === 0) return [];
    return [
      await recordOperationalEvent(tx, "delivery.exhausted", delivery.appId, {
        deliveryId: delivery.id,
        eventId: delivery.eventId,
        endpointId: delivery.endpointId,
        attempts: delivery.attemptCount,
        lastStatus: EXPIRED_WHILE_HELD,
      }),
    ];
  });
  await announce(deps, operationalEvents, log);
  if (operationalEvents.length > 0) {
    getMetrics().deliveriesCompleted.inc({ outcome: "failed" });
    log.info({ endpointId: delivery.endpointId, deadline }, "delivery expired while its endpoint was failing");
  }
  return "failed";
}

/** The failure reason of a delivery whose deadline passed while its endpoint's breaker held it. */
export const EXPIRED_WHILE_HELD = "expired while the endpoint was failing";

function attemptRow(
  delivery: LoadedDelivery,
  trigger: "scheduled" | "manual",
  triggeredBy: string | null,
  headers: Record<string, string>,
  result: ExchangeResult,
  at: Date,
) {
  return {
    id: newId("attempt"),
    deliveryId: delivery.id,
    endpointId: delivery.endpointId,
    trigger,
    triggeredBy,
    responseStatusCode: result.statusCode ?? null,
    responseBody: result.responseBody ?? null,
    error: result.error ?? null,
    errorDetail: result.errorDetail ?? null,
    durationMs: result.durationMs,
    succeeded: isSuccess(result),
    requestHeaders: headers,
    createdAt: at,
  };
}

function counters(delivery: LoadedDelivery, result: ExchangeResult, startedAt: Date) {
  return {
    attemptCount: { increment: 1 },
    lastAttemptAt: startedAt,
    lastStatusCode: result.statusCode ?? null,
    firstAttemptAt: delivery.firstAttemptAt ?? startedAt,
  };
}

/**
 * Why the endpoint should be disabled after this attempt, if it should:
 * 410 Gone asks us to stop at once; otherwise a failure streak that has
 * lasted ENDPOINT_DISABLE_AFTER means nobody is fixing it.
 */
function disableReason(delivery: LoadedDelivery, result: ExchangeResult, at: Date, disableAfterMs: number) {
  if (result.statusCode === 410) return "endpoint answered 410 Gone";
  const since = delivery.endpoint.failingSince;
  if (!isSuccess(result) && since && at.getTime() - since.getTime() >= disableAfterMs) {
    return `failing since ${since.toISOString()} (last error: ${statusClass(result)})`;
  }
  return undefined;
}

/**
 * Tracks the endpoint's failure streak and disables it when it must,
 * recording an operational event. Returns the ids of events recorded.
 */
async function updateEndpointHealth(
  tx: Tx,
  deps: AttemptDeps,
  delivery: LoadedDelivery,
  result: ExchangeResult,
  at: Date,
): Promise<string[]> {
  const endpointId = delivery.endpointId;
  if (isSuccess(result)) {
    await tx.endpoint.updateMany({
      where: { id: endpointId, failingSince: { not: null } },
      data: { failingSince: null },
    });
    return [];
  }
  await tx.endpoint.updateMany({ where: { id: endpointId, failingSince: null }, data: { failingSince: at } });
  const reason = disableReason(delivery, result, at, deps.config.ENDPOINT_DISABLE_AFTER);
  if (!reason) return [];
  const disabled = await tx.endpoint.updateMany({
    where: { id: endpointId, disabled: false },
    data: { disabled: true, disabledAt: at, disabledReason: reason },
  });
  if (disabled.count === 0) return [];
  getMetrics().endpointsDisabled.inc({ reason: result.statusCode === 410 ? "gone" : "failing" });
  return [
    await recordOperationalEvent(tx, "endpoint.disabled", delivery.appId, {
      endpointId,
      url: delivery.endpoint.url,
      reason,
      disabledAt: at.toISOString(),
    }),
  ];
}

/** Hands recorded operational events to the worker for posting, when an operator URL is configured. */
async function announce(deps: AttemptDeps, ids: string[], log: Logger): Promise<void> {
  if (ids.length === 0 || !deps.config.OPERATOR_WEBHOOK_URL) return;
  try {
    await deps.producer.addOperational(ids);
  } catch (error) {
    // Recorded all the same; the operator sees them in Hookpost.
    log.error({ err: error, operationalEventIds: ids }, "could not enqueue operational events");
  }
}

/**
 * An attempt its endpoint's cap refused: the slot it waits for in the
 * worker, outside the worker's sending slots.
 */
class WaitForSlot {
  constructor(
    readonly endpointId: string,
    readonly slot: Promise<Release | undefined>,
  ) {}
}

/** Hands a refused attempt back to its row (or its job) until a slot of its endpoint can free. */
function deferForCap(deps: AttemptDeps, endpointId: string): Deferred {
  getMetrics().attemptsDeferred.inc({ reason: "endpoint_cap" });
  // Spread over a second: those refused while it hung would otherwise all be loaded again at the same moment.
  return new Deferred(deps.slots.deferFor(endpointId) + Math.floor(Math.random() * 1000), endpointId);
}

/**
 * A sending slot for the delivery's endpoint (or the one `reserved` for
 * it): under its concurrency cap and its rate limit. A WaitForSlot says the
 * attempt is queued for the endpoint's next free slot; a Deferred says when
 * to try again.
 */
async function acquireSending(
  deps: AttemptDeps,
  delivery: LoadedDelivery,
  reserved?: Release,
): Promise<Release | WaitForSlot | Deferred> {
  const release = reserved ?? deps.slots.tryAcquire(delivery.endpointId);
  if (!release) {
    const slot = deps.slots.wait(delivery.endpointId);
    return slot ? new WaitForSlot(delivery.endpointId, slot) : deferForCap(deps, delivery.endpointId);
  }
  const limit = delivery.endpoint.rateLimit;
  if (limit === null) return release;
  const waitMs = await deps.rateLimiter.take(delivery.endpointId, limit).catch((error: unknown) => {
    release();
    throw error;
  });
  if (waitMs === 0) return release;
  release();
  getMetrics().attemptsDeferred.inc({ reason: "rate_limit" });
  // Spread over a second so that waiters do not all return when the next slot opens.
  return new Deferred(waitMs + Math.floor(Math.random() * 1000));
}

/**
 * loadAndSendOnce, and again with the slot handed over if the endpoint's
 * cap made it wait. The wait holds no sending slot, and the delivery is
 * loaded again after it: it may have been settled meanwhile. A wait the
 * worker's stopping ends hands the attempt back to its row or job.
 */
async function loadAndSend(
  deps: AttemptDeps,
  deliveryId: string,
  trigger: "scheduled" | "manual",
  admit: Admission,
  options: { attempt?: number; leaveOnStop?: boolean; asked?: boolean } = {},
): Promise<Outcome | Sent | Held> {
  let reserved: Release | undefined;
  for (;;) {
    const handed = reserved;
    // A slot handed over but not used (the attempt was no longer due, or the worker stopped) goes to the next waiter.
    const step = await loadAndSendOnce(deps, deliveryId, trigger, admit, { ...options, reserved }).finally(() =>
      handed?.(),
    );
    if (!(step instanceof WaitForSlot)) return step;
    const waiting = getMetrics().attemptsWaiting;
    waiting.inc();
    reserved = await step.slot.finally(() => waiting.dec());
    if (!reserved) return deferForCap(deps, step.endpointId);
  }
}

/** An attempt made: what was loaded, sent (or held back) and answered. */
interface Sent extends Awaited<ReturnType<typeof exchange>> {
  delivery: LoadedDelivery;
  startedAt: Date;
}

/** Whether a loaded delivery is to be sent: undefined if so, else the outcome that ends its job without a request. */
type Admission = (delivery: LoadedDelivery | undefined) => Outcome | undefined | Promise<Outcome | undefined>;

/**
 * Loads the delivery and sends it, once a worker slot and then an endpoint
 * slot are free. Loading inside the worker slot means a process holds no
 * more loaded deliveries (payloads of up to 256 KiB) than it has requests
 * in flight, however many a first-attempts job names. The endpoint slot is
 * taken last, so it is held only while sending (a refused one is waited for
 * outside, in loadAndSend, and comes `reserved`). A scheduled attempt the
 * endpoint's breaker holds back is not sent but Held, unless someone
 * `asked` for it. With `leaveOnStop`, a delivery whose slot comes
 * after the worker began to stop is "left".
 */
async function loadAndSendOnce(
  deps: AttemptDeps,
  deliveryId: string,
  trigger: "scheduled" | "manual",
  admit: Admission,
  options: { attempt?: number; leaveOnStop?: boolean; asked?: boolean; reserved?: Release } = {},
): Promise<Outcome | Sent | WaitForSlot | Held> {
  return deps.sending(async () => {
    if (options.leaveOnStop && deps.stopping?.aborted) return "left";
    const delivery = await deps.store.load(deliveryId);
    const refused = await admit(delivery);
    if (refused !== undefined || !delivery) return refused ?? "skipped";
    // A manual retry or a test event is always sent: someone is waiting to
    // see it, and it probes the endpoint as well.
    const asked = trigger === "manual" || options.asked === true;
    if (!asked && (await deps.breaker.admit(delivery.endpointId, delivery.endpoint)) === "hold") {
      return new Held(delivery);
    }
    const release = await acquireSending(deps, delivery, options.reserved);
    if (release instanceof Deferred || release instanceof WaitForSlot) return release;
    const startedAt = clock(deps);
    if (options.attempt === 1) {
      getMetrics().firstAttemptLatency.observe((startedAt.getTime() - delivery.event.createdAt.getTime()) / 1000);
    }
    const exchanged = await exchange(deps, delivery, startedAt, trigger).finally(release);
    return { delivery, startedAt, ...exchanged };
  });
}

const isSent = (value: Outcome | Sent | Held): value is Sent =>
  typeof value === "object" && !(value instanceof Deferred) && !(value instanceof Held);

type Settled = "succeeded" | "retry" | "failed";

/**
 * Records an attempt that may also disable the endpoint or exhaust the
 * delivery: those write operational events, so it runs as a transaction of
 * several statements. Rare by nature; the common case is the store's recordRoutine.
 */
async function recordWithEvents(
  deps: AttemptDeps,
  delivery: LoadedDelivery,
  attemptNumber: number,
  attempt: ReturnType<typeof attemptRow>,
  result: ExchangeResult,
  outcome: Settled,
  next: Date | undefined,
  startedAt: Date,
): Promise<{ advanced: boolean; operationalEvents: string[] }> {
  return deps.db.$transaction(async (tx) => {
    await tx.attempt.create({ data: attempt });
    await tx.delivery.update({ where: { id: delivery.id }, data: counters(delivery, result, startedAt) });
    const events = await updateEndpointHealth(tx, deps, delivery, result, startedAt);
    // Only the holder of this schedule step moves the delivery on, so a
    // duplicate run records its attempt but never schedules twice.
    const transition = await tx.delivery.updateMany({
      where: { id: delivery.id, status: "pending", scheduledAttempts: attemptNumber - 1 },
      data: {
        scheduledAttempts: attemptNumber,
        status: outcome === "retry" ? "pending" : outcome,
        nextAttemptAt: next ?? null,
        heldSince: null,
        // No job holds a retry yet: the scheduler claims it when due.
        ...(outcome === "retry" ? { nextAttemptJob: null } : {}),
      },
    });
    const moved = transition.count === 1;
    if (moved && outcome === "failed" && result.statusCode !== 410) {
      events.push(
        await recordOperationalEvent(tx, "delivery.exhausted", delivery.appId, {
          deliveryId: delivery.id,
          eventId: delivery.eventId,
          endpointId: delivery.endpointId,
          attempts: delivery.attemptCount + 1,
          lastStatus: statusClass(result),
        }),
      );
    }
    return { advanced: moved, operationalEvents: events };
  });
}

/** One attempt of a batch job: which delivery, which step of its schedule, and the trace it continues. */
interface BatchItem {
  deliveryId: string;
  attempt: number;
  /** Someone is waiting to see it (lib/queue/jobs.ts). */
  asked?: boolean;
  trace?: Record<string, string>;
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
async function makeBatchAttempts(deps: AttemptDeps, items: BatchItem[]): Promise<BatchOutcome | Deferred> {
  const settled = await Promise.allSettled(
    items.map((item) =>
      // Each attempt continues the trace of whatever queued it (for a first
      // attempt, the request that created its event).
      deps.attempting(() =>
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
      ),
    ),
  );
  const counts: BatchOutcome = { succeeded: 0, retry: 0, failed: 0, skipped: 0, deferred: 0, left: 0, held: 0 };
  const deferred: Array<{ deliveryId: string; attempt: number; delayMs: number; cappedBy?: string }> = [];
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
export function makeFirstAttempts(deps: AttemptDeps, job: JobData<"first-attempts">): Promise<BatchOutcome | Deferred> {
  return makeBatchAttempts(
    deps,
    job.deliveries.map((item) => ({ ...item, attempt: 1 })),
  );
}

/** One attempt of a delivery's schedule, queued on its own by the sweeper or for a test event. */
export function makeScheduledAttempt(
  deps: AttemptDeps,
  job: JobData<"scheduled-attempt">,
): Promise<BatchOutcome | Deferred> {
  return makeBatchAttempts(deps, [job]);
}

/** The scheduled attempts the scheduler found due together (lib/sending/scheduler.ts). */
export function makeDueAttempts(deps: AttemptDeps, job: JobData<"due-attempts">): Promise<BatchOutcome | Deferred> {
  return makeBatchAttempts(deps, job.attempts);
}

/**
 * Attempt number `attemptNumber` of a delivery, unless the row says it is
 * no longer due. With `leaveOnStop`, one not yet started when the worker
 * begins to stop is "left" for its job's next run; one someone `asked` for
 * is sent even to an endpoint that is only being probed.
 */
async function attemptIfDue(
  deps: AttemptDeps,
  deliveryId: string,
  attemptNumber: number,
  log: Logger,
  options: { leaveOnStop?: boolean; asked?: boolean } = {},
): Promise<Outcome> {
  const sent = await loadAndSend(
    deps,
    deliveryId,
    "scheduled",
    async (delivery) => {
      if (!delivery || delivery.status !== "pending" || delivery.scheduledAttempts >= attemptNumber) {
        log.debug("attempt no longer due");
        return "skipped";
      }
      if (delivery.endpoint.disabled) {
        // Kept, not dropped: the event stays and a replay after re-enabling sends it.
        await deps.db.delivery.updateMany({
          where: { id: delivery.id, status: "pending" },
          data: { status: "failed", nextAttemptAt: null },
        });
        log.info({ endpointId: delivery.endpointId }, "endpoint disabled; delivery marked failed");
        return "failed";
      }
      return undefined;
    },
    { ...options, attempt: attemptNumber },
  );
  if (sent instanceof Held) return holdOrExpire(deps, sent.delivery, log);
  if (!isSent(sent)) return sent;
  const { delivery, startedAt, recordedHeaders, result } = sent;
  const about = { eventId: delivery.eventId, endpointId: delivery.endpointId, appId: delivery.appId };
  const finishedAt = clock(deps);

  let outcome: Outcome;
  let next: Date | undefined;
  if (isSuccess(result)) outcome = "succeeded";
  else if (result.statusCode === 410) outcome = "failed";
  else {
    next = nextAttemptAt({
      schedule: deps.schedule,
      failures: attemptNumber,
      firstAttemptAt: delivery.firstAttemptAt ?? startedAt,
      now: finishedAt,
      retryAfter: honoursRetryAfter(result) ? parseRetryAfter(result.retryAfterHeader, finishedAt) : undefined,
      minDelay: showsOverload(result) ? deps.config.OVERLOAD_MIN_DELAY : undefined,
    });
    outcome = next ? "retry" : "failed";
  }

  const attempt = attemptRow(delivery, "scheduled", null, recordedHeaders, result, startedAt);
  // Exhaustion and disabling write operational events; everything else is one statement.
  const { advanced, operationalEvents } =
    outcome !== "failed" && !disableReason(delivery, result, startedAt, deps.config.ENDPOINT_DISABLE_AFTER)
      ? {
          advanced: await deps.store.recordRoutine({ attempt, attemptNumber, outcome, next }),
          operationalEvents: [],
        }
      : await recordWithEvents(deps, delivery, attemptNumber, attempt, result, outcome, next, startedAt);
  await announce(deps, operationalEvents, log);

  if (advanced && outcome !== "retry") getMetrics().deliveriesCompleted.inc({ outcome });
  // Every attempt is in the attempt log and the metrics. A line for each
  // success, thousands a second under load, would be a large share of what
  // the worker allocates (pino's redaction and a child logger per line);
  // failures, what someone reading the logs looks for, stay at info.
  log[outcome === "succeeded" ? "debug" : "info"](
    {
      ...about,
      attemptId: attempt.id,
      statusCode: result.statusCode,
      error: result.error,
      durationMs: result.durationMs,
      outcome,
      nextAttemptAt: next,
    },
    "attempt recorded",
  );
  // A retry is not queued here: its row says when it is due, and the
  // scheduler queues it then, with every other retry due at that time.
  return outcome;
}

export async function makeManualAttempt(deps: AttemptDeps, job: JobData<"manual-attempt">): Promise<Outcome> {
  const log = deps.logger.child({ deliveryId: job.deliveryId, requestedBy: job.requestedBy });
  const sent = await loadAndSend(deps, job.deliveryId, "manual", (delivery) => {
    if (delivery) return undefined;
    log.info("delivery no longer exists");
    return "skipped";
  });
  // Asked for, so never held: the breaker only holds scheduled attempts.
  if (sent instanceof Held) throw new Error("a manual attempt was held by its endpoint's breaker");
  if (!isSent(sent)) return sent;
  const { delivery, startedAt, recordedHeaders, result } = sent;
  const succeeded = isSuccess(result);
  const attempt = attemptRow(delivery, "manual", job.requestedBy, recordedHeaders, result, startedAt);

  const operationalEvents = await deps.db.$transaction(async (tx) => {
    await tx.attempt.create({ data: attempt });
    await tx.delivery.update({
      where: { id: delivery.id },
      data: {
        ...counters(delivery, result, startedAt),
        // A success settles the delivery; the schedule's pending job then finds nothing to do.
        ...(succeeded ? { status: "succeeded", nextAttemptAt: null, heldSince: null } : {}),
      },
    });
    return updateEndpointHealth(tx, deps, delivery, result, startedAt);
  });
  await announce(deps, operationalEvents, log);
  if (succeeded && delivery.status !== "succeeded") getMetrics().deliveriesCompleted.inc({ outcome: "succeeded" });
  log.info(
    {
      attemptId: attempt.id,
      eventId: delivery.eventId,
      endpointId: delivery.endpointId,
      appId: delivery.appId,
      statusCode: result.statusCode,
      error: result.error,
    },
    "manual attempt recorded",
  );
  return succeeded ? "succeeded" : "failed";
}
