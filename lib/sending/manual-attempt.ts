// An attempt someone asked for (the dashboard's or the API's retry): sent
// whatever the delivery's state and its endpoint's breaker, outside its
// retry schedule.
import { getMetrics } from "../platform/metrics";
import type { JobData } from "../queue/jobs";
import { clock, type AttemptDeps, type Outcome } from "./attempt-deps";
import { Held, isSent, loadAndSend, type SendDeps } from "./load-and-send";
import { recordSent, type RecordDeps } from "./record-attempt";

export type ManualDeps = SendDeps & RecordDeps & Pick<AttemptDeps, "logger">;

export async function makeManualAttempt(deps: ManualDeps, job: JobData<"manual-attempt">): Promise<Outcome> {
  const log = deps.logger.child({ deliveryId: job.deliveryId, requestedBy: job.requestedBy });
  const sent = await loadAndSend(deps, job.deliveryId, "manual", (delivery) => {
    if (delivery) return undefined;
    log.info("delivery no longer exists");
    return "skipped";
  });
  // Asked for, so never held: the breaker only holds scheduled attempts.
  if (sent instanceof Held) throw new Error("a manual attempt was held by its endpoint's breaker");
  if (!isSent(sent)) return sent;
  const { delivery, result } = sent;
  const { attempt, decision } = await recordSent(
    deps,
    sent,
    { trigger: "manual", triggeredBy: job.requestedBy },
    clock(deps),
    log,
  );
  // A success settles the delivery; the schedule's pending job then finds nothing to do.
  if (decision.succeeded && delivery.status !== "succeeded") {
    getMetrics().deliveriesCompleted.inc({ outcome: "succeeded" });
  }
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
  return decision.outcome === "succeeded" ? "succeeded" : "failed";
}
