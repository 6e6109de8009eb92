// Sends one attempt's request and notes what the answer says of the
// endpoint: metrics, its latency for the concurrency cap, its breaker.
import { SpanStatusCode } from "@opentelemetry/api";
import { getMetrics, statusClass } from "../platform/metrics";
import { inSendSpan, type StoredTrace } from "../platform/tracing";
import { isSuccess, type Trigger } from "../deliveries/attempt-outcome";
import type { LoadedDelivery } from "../deliveries/attempt-store";
import type { AttemptDeps } from "./attempt-deps";
import { postWebhook, type ExchangeResult } from "./http-client";
import { buildWebhookRequest } from "./webhook-request";

export type ExchangeDeps = Pick<AttemptDeps, "agent" | "policy" | "slots" | "breaker" | "logger"> & {
  config: Pick<AttemptDeps["config"], "DELIVERY_TIMEOUT">;
};

export interface Exchanged {
  recordedHeaders: Record<string, string>;
  result: ExchangeResult;
  /** The trace the request was sent in, for the attempt log. */
  traceId: string | undefined;
}

/** The stored trace an event's webhooks continue, if its producer sent one. */
function storedTrace(event: LoadedDelivery["event"]): StoredTrace | undefined {
  return event.traceParent
    ? { traceparent: event.traceParent, ...(event.traceState ? { tracestate: event.traceState } : {}) }
    : undefined;
}

/** Builds and sends the request inside the `webhook.send` span, whose trace the consumer's request continues. */
function post(deps: ExchangeDeps, delivery: LoadedDelivery, now: Date) {
  const attributes = {
    "hookpost.event_id": delivery.eventId,
    "hookpost.delivery_id": delivery.id,
    "hookpost.endpoint_id": delivery.endpointId,
    "hookpost.app_id": delivery.appId,
    "http.request.method": "POST",
  };
  return inSendSpan(storedTrace(delivery.event), attributes, async (span, propagated, traceId) => {
    const request = buildWebhookRequest(delivery.event, delivery.endpoint, now, propagated);
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
    return { request, sent, traceId };
  });
}

export async function exchange(
  deps: ExchangeDeps,
  delivery: LoadedDelivery,
  now: Date,
  trigger: Trigger,
): Promise<Exchanged> {
  const { request, sent: result, traceId } = await post(deps, delivery, now);
  const metrics = getMetrics();
  const statusLabel = statusClass(result);
  metrics.attempts.inc({ outcome: isSuccess(result) ? "success" : "failure", status_class: statusLabel, trigger });
  metrics.attemptDuration.observe({ status_class: statusLabel }, result.durationMs / 1000);
  deps.slots.observe(delivery.endpointId, result.durationMs, result.error === "timeout");
  await observeBreaker(deps, delivery, isSuccess(result));
  if (result.statusCode === 410) metrics.endpointsDisabled.inc({ reason: "gone" });
  return { recordedHeaders: request.recordedHeaders, result, traceId };
}

/**
 * Counts a sent attempt towards its endpoint's breaker. The request was
 * made whatever happens here, so a failure to write the breaker's state is
 * logged and the attempt is still recorded; the next attempt counts again.
 */
async function observeBreaker(
  deps: Pick<ExchangeDeps, "breaker" | "logger">,
  delivery: LoadedDelivery,
  succeeded: boolean,
): Promise<void> {
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
