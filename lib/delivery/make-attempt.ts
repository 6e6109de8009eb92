// One delivery attempt as the worker makes it: load, send, record, and
// schedule what comes next. Every step is safe to repeat: the delivery row
// decides whether a job is still due, so a duplicate or stale job (after a
// crash, a sweeper re-enqueue, a manual success) changes nothing.
import type { Agent } from "undici";
import type { Config } from "../config";
import type { Db } from "../db";
import { SpanStatusCode } from "@opentelemetry/api";
import { newId } from "../ids";
import type { Logger } from "../logger";
import { getMetrics, statusClass } from "../metrics";
import { tracer } from "../tracing";
import type { JobData } from "../queue/jobs";
import type { DeliveryProducer } from "../queue/producer";
import { nextAttemptAt, parseRetryAfter, type RetrySchedule } from "../retry-schedule";
import type { DestinationPolicy } from "../url-guard";
import type { EndpointSlots } from "./endpoint-slots";
import { postWebhook, type ExchangeResult } from "./http-client";
import { buildWebhookRequest } from "./webhook-request";

export interface AttemptDeps {
  db: Db;
  producer: DeliveryProducer;
  agent: Agent;
  policy: DestinationPolicy;
  schedule: RetrySchedule;
  config: Pick<Config, "DELIVERY_TIMEOUT" | "OVERLOAD_MIN_DELAY">;
  logger: Logger;
  slots: EndpointSlots;
  now?: () => Date;
}

/** "deferred": the endpoint is at its concurrency cap; the job should come back shortly. */
export type Outcome = "succeeded" | "retry" | "failed" | "skipped" | "deferred";

const isSuccess = (result: ExchangeResult) =>
  result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;

/** 429 and 503 say when to come back; other failures follow the schedule. */
const honoursRetryAfter = (result: ExchangeResult) => result.statusCode === 429 || result.statusCode === 503;

/** A struggling endpoint gets breathing room, whatever the schedule says. */
const showsOverload = (result: ExchangeResult) => result.statusCode === 429 || result.error === "timeout";

async function loadDelivery(db: Db, deliveryId: string) {
  return db.delivery.findUnique({ where: { id: deliveryId }, include: { endpoint: true, event: true } });
}

type LoadedDelivery = NonNullable<Awaited<ReturnType<typeof loadDelivery>>>;

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
  if (result.statusCode === 410) metrics.endpointsDisabled.inc({ reason: "gone" });
  return { request, result };
}

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

/** 410 Gone: the consumer asked us to stop, so the endpoint is disabled at once. */
function disableOnGone(result: ExchangeResult, endpointId: string, at: Date) {
  return result.statusCode === 410
    ? {
        where: { id: endpointId },
        data: { disabled: true, disabledAt: at, disabledReason: "endpoint answered 410 Gone" },
      }
    : undefined;
}

export async function makeScheduledAttempt(deps: AttemptDeps, job: JobData<"scheduled-attempt">): Promise<Outcome> {
  const log = deps.logger.child({ deliveryId: job.deliveryId, attempt: job.attempt });
  const delivery = await loadDelivery(deps.db, job.deliveryId);
  if (!delivery || delivery.status !== "pending" || delivery.scheduledAttempts >= job.attempt) {
    log.debug("attempt no longer due");
    return "skipped";
  }
  const context = log.child({ eventId: delivery.eventId, endpointId: delivery.endpointId, appId: delivery.appId });
  if (delivery.endpoint.disabled) {
    // Kept, not dropped: the event stays and a replay after re-enabling sends it.
    await deps.db.delivery.updateMany({
      where: { id: delivery.id, status: "pending" },
      data: { status: "failed", nextAttemptAt: null },
    });
    context.info("endpoint disabled; delivery marked failed");
    return "failed";
  }

  const release = deps.slots.tryAcquire(delivery.endpointId);
  if (!release) return "deferred";
  const now = deps.now ?? (() => new Date());
  const startedAt = now();
  if (job.attempt === 1) {
    getMetrics().firstAttemptLatency.observe((startedAt.getTime() - delivery.event.createdAt.getTime()) / 1000);
  }
  const { request, result } = await exchange(deps, delivery, startedAt, "scheduled").finally(release);
  const finishedAt = now();

  let outcome: Outcome;
  let next: Date | undefined;
  if (isSuccess(result)) outcome = "succeeded";
  else if (result.statusCode === 410) outcome = "failed";
  else {
    next = nextAttemptAt({
      schedule: deps.schedule,
      failures: job.attempt,
      firstAttemptAt: delivery.firstAttemptAt ?? startedAt,
      now: finishedAt,
      retryAfter: honoursRetryAfter(result) ? parseRetryAfter(result.retryAfterHeader, finishedAt) : undefined,
      minDelay: showsOverload(result) ? deps.config.OVERLOAD_MIN_DELAY : undefined,
    });
    outcome = next ? "retry" : "failed";
  }

  const attempt = attemptRow(delivery, "scheduled", null, request.headers, result, startedAt);
  const advanced = await deps.db.$transaction(async (tx) => {
    await tx.attempt.create({ data: attempt });
    await tx.delivery.update({ where: { id: delivery.id }, data: counters(delivery, result, startedAt) });
    const gone = disableOnGone(result, delivery.endpointId, finishedAt);
    if (gone) await tx.endpoint.update(gone);
    // Only the holder of this schedule step moves the delivery on, so a
    // duplicate run records its attempt but never schedules twice.
    const transition = await tx.delivery.updateMany({
      where: { id: delivery.id, status: "pending", scheduledAttempts: job.attempt - 1 },
      data: {
        scheduledAttempts: job.attempt,
        status: outcome === "retry" ? "pending" : outcome,
        nextAttemptAt: next ?? null,
      },
    });
    return transition.count === 1;
  });

  if (advanced && outcome !== "retry") getMetrics().deliveriesCompleted.inc({ outcome });
  context.info(
    {
      attemptId: attempt.id,
      statusCode: result.statusCode,
      error: result.error,
      durationMs: result.durationMs,
      outcome,
      nextAttemptAt: next,
    },
    "attempt recorded",
  );
  if (advanced && next) {
    try {
      await deps.producer.addScheduled([
        { deliveryId: delivery.id, attempt: job.attempt + 1, delayMs: next.getTime() - Date.now() },
      ]);
    } catch (error) {
      // The row already says when the retry is due; the sweeper enqueues it.
      context.error({ err: error }, "could not enqueue the next attempt; the sweeper will");
    }
  }
  return outcome;
}

export async function makeManualAttempt(deps: AttemptDeps, job: JobData<"manual-attempt">): Promise<Outcome> {
  const log = deps.logger.child({ deliveryId: job.deliveryId, requestedBy: job.requestedBy });
  const delivery = await loadDelivery(deps.db, job.deliveryId);
  if (!delivery) {
    log.info("delivery no longer exists");
    return "skipped";
  }
  const release = deps.slots.tryAcquire(delivery.endpointId);
  if (!release) return "deferred";
  const now = deps.now ?? (() => new Date());
  const startedAt = now();
  const { request, result } = await exchange(deps, delivery, startedAt, "manual").finally(release);
  const succeeded = isSuccess(result);
  const attempt = attemptRow(delivery, "manual", job.requestedBy, request.headers, result, startedAt);

  await deps.db.$transaction(async (tx) => {
    await tx.attempt.create({ data: attempt });
    await tx.delivery.update({
      where: { id: delivery.id },
      data: {
        ...counters(delivery, result, startedAt),
        // A success settles the delivery; the schedule's pending job then finds nothing to do.
        ...(succeeded ? { status: "succeeded", nextAttemptAt: null } : {}),
      },
    });
    const gone = disableOnGone(result, delivery.endpointId, now());
    if (gone) await tx.endpoint.update(gone);
  });
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
