// Decides what a sent attempt's outcome does (lib/deliveries/attempt-outcome.ts)
// and has the attempt store write it; the operational events it recorded
// are then handed to the worker for posting.
import { getMetrics } from "../platform/metrics";
import type { Logger } from "../platform/logger";
import { newId } from "../platform/ids";
import { decideAttempt, isSuccess, type AttemptDecision } from "../deliveries/attempt-outcome";
import type { AttemptRow, DecidedAttempt, LoadedDelivery, Recorded } from "../deliveries/attempt-store";
import type { AttemptDeps } from "./attempt-deps";
import type { ExchangeResult } from "./http-client";
import type { Sent } from "./load-and-send";

export type AnnounceDeps = Pick<AttemptDeps, "producer"> & {
  config: Pick<AttemptDeps["config"], "OPERATOR_WEBHOOK_URL">;
};

export type RecordDeps = AnnounceDeps &
  Pick<AttemptDeps, "schedule"> & {
    store: Pick<AttemptDeps["store"], "record">;
    config: Pick<AttemptDeps["config"], "OVERLOAD_MIN_DELAY" | "ENDPOINT_DISABLE_AFTER">;
  };

/** Who made an attempt: the schedule (at which step) or someone by hand. */
export type Maker = { trigger: "scheduled"; attemptNumber: number } | { trigger: "manual"; triggeredBy: string };

function attemptRow(
  delivery: LoadedDelivery,
  maker: Maker,
  headers: Record<string, string>,
  result: ExchangeResult,
  traceId: string | undefined,
  at: Date,
): DecidedAttempt["attempt"] {
  return {
    id: newId("attempt"),
    deliveryId: delivery.id,
    endpointId: delivery.endpointId,
    trigger: maker.trigger,
    triggeredBy: maker.trigger === "manual" ? maker.triggeredBy : null,
    responseStatusCode: result.statusCode ?? null,
    responseBody: result.responseBody ?? null,
    error: result.error ?? null,
    errorDetail: result.errorDetail ?? null,
    durationMs: result.durationMs,
    succeeded: isSuccess(result),
    requestHeaders: headers,
    traceId: traceId ?? null,
    createdAt: at,
  };
}

/** Hands recorded operational events to the worker for posting, when an operator URL is configured. */
export async function announce(deps: AnnounceDeps, ids: string[], log: Logger): Promise<void> {
  if (ids.length === 0 || !deps.config.OPERATOR_WEBHOOK_URL) return;
  try {
    await deps.producer.addOperational(ids);
  } catch (error) {
    // Recorded all the same; the operator sees them in Hookpost.
    log.error({ err: error, operationalEventIds: ids }, "could not enqueue operational events");
  }
}

/** A sent attempt as recorded: its row, what its outcome decided, and what the store did. */
export interface RecordedAttempt extends Recorded {
  attempt: AttemptRow;
  decision: AttemptDecision;
}

/** Decides the outcome of a sent attempt, records it, and announces its operational events. */
export async function recordSent(
  deps: RecordDeps,
  sent: Sent,
  maker: Maker,
  finishedAt: Date,
  log: Logger,
): Promise<RecordedAttempt> {
  const { delivery, startedAt, recordedHeaders, result, traceId } = sent;
  const decision = decideAttempt(
    {
      trigger: maker.trigger,
      attemptNumber: maker.trigger === "scheduled" ? maker.attemptNumber : undefined,
      delivery,
      result,
      startedAt,
      finishedAt,
    },
    { schedule: deps.schedule, config: deps.config },
  );
  const attempt = attemptRow(delivery, maker, recordedHeaders, result, traceId, startedAt);
  const recorded = await deps.store.record({
    attempt,
    attemptNumber: maker.trigger === "scheduled" ? maker.attemptNumber : null,
    decision,
    delivery: {
      appId: delivery.appId,
      eventId: delivery.eventId,
      endpointId: delivery.endpointId,
      url: delivery.endpoint.url,
    },
  });
  if (recorded.disabled && decision.disable) getMetrics().endpointsDisabled.inc({ reason: decision.disable.cause });
  await announce(deps, recorded.operationalEvents, log);
  return { ...recorded, attempt, decision };
}
