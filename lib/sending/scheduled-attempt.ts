// One step of a delivery's retry schedule, as a batch job makes it: sent
// if the row says it is still due, held while its endpoint's breaker is
// open, and recorded with what its outcome does.
import { getMetrics } from "../platform/metrics";
import type { Logger } from "../platform/logger";
import { admitScheduled, decideHeld } from "../deliveries/attempt-outcome";
import type { LoadedDelivery } from "../deliveries/attempt-store";
import { clock, type AttemptDeps, type Outcome } from "./attempt-deps";
import { Held, isSent, loadAndSend, type Admission, type SendDeps, type SendOptions } from "./load-and-send";
import { announce, recordSent, type AnnounceDeps, type RecordDeps } from "./record-attempt";

type HoldDeps = AnnounceDeps &
  Pick<AttemptDeps, "now"> & {
    store: Pick<AttemptDeps["store"], "hold" | "expire">;
    config: Pick<AttemptDeps["config"], "HELD_DELIVERY_DEADLINE">;
  };

export type ScheduledDeps = SendDeps &
  RecordDeps &
  HoldDeps & { store: Pick<AttemptDeps["store"], "load" | "record" | "hold" | "expire" | "failForDisabledEndpoint"> };

/**
 * Makes a held delivery wait in its row, unsent, for its endpoint's breaker
 * to close; none of its retry schedule is used. Past its deadline it fails
 * instead, and says why.
 */
async function holdOrExpire(deps: HoldDeps, delivery: LoadedDelivery, log: Logger): Promise<"held" | "failed"> {
  const verdict = decideHeld(delivery, clock(deps), deps.config.HELD_DELIVERY_DEADLINE);
  if (verdict.held) {
    getMetrics().deliveriesHeld.inc();
    await deps.store.hold({ deliveryId: delivery.id, until: verdict.until });
    return "held";
  }
  const operationalEvents = await deps.store.expire({
    delivery,
    failureReason: verdict.failureReason,
    exhaustion: verdict.exhaustion,
  });
  await announce(deps, operationalEvents, log);
  if (operationalEvents.length > 0) {
    getMetrics().deliveriesCompleted.inc({ outcome: "failed" });
    log.info(
      { endpointId: delivery.endpointId, deadline: verdict.deadline },
      "delivery expired while its endpoint was failing",
    );
  }
  return "failed";
}

/** Sends the attempt only if its row says it is still due; a disabled endpoint fails its delivery instead. */
function admitIfDue(deps: Pick<ScheduledDeps, "store">, attemptNumber: number, log: Logger): Admission {
  return async (delivery) => {
    const verdict = delivery ? admitScheduled(delivery, attemptNumber) : "not due";
    if (verdict === "send") return undefined;
    if (verdict === "not due" || !delivery) {
      log.debug("attempt no longer due");
      return "skipped";
    }
    await deps.store.failForDisabledEndpoint(delivery.id);
    log.info({ endpointId: delivery.endpointId }, "endpoint disabled; delivery marked failed");
    return "failed";
  };
}

/**
 * Attempt number `attemptNumber` of a delivery, unless the row says it is
 * no longer due. With `leaveOnStop`, one not yet started when the worker
 * begins to stop is "left" for its job's next run; one someone `asked` for
 * is sent even to an endpoint that is only being probed.
 */
export async function attemptIfDue(
  deps: ScheduledDeps,
  deliveryId: string,
  attemptNumber: number,
  log: Logger,
  options: Omit<SendOptions, "attempt"> = {},
): Promise<Outcome> {
  const admit = admitIfDue(deps, attemptNumber, log);
  const sent = await loadAndSend(deps, deliveryId, "scheduled", admit, { ...options, attempt: attemptNumber });
  if (sent instanceof Held) return holdOrExpire(deps, sent.delivery, log);
  if (!isSent(sent)) return sent;
  const { delivery, result } = sent;
  const { attempt, decision, moved } = await recordSent(
    deps,
    sent,
    { trigger: "scheduled", attemptNumber },
    clock(deps),
    log,
  );
  const { outcome, next } = decision;
  if (moved && outcome !== "retry") getMetrics().deliveriesCompleted.inc({ outcome });
  // Every attempt is in the attempt log and the metrics. A line for each
  // success, thousands a second under load, would be a large share of what
  // the worker allocates (pino's redaction and a child logger per line);
  // failures, what someone reading the logs looks for, stay at info.
  log[outcome === "succeeded" ? "debug" : "info"](
    {
      eventId: delivery.eventId,
      endpointId: delivery.endpointId,
      appId: delivery.appId,
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
