// Posts an operational event to the operator's own URL, signed like any
// webhook. The URL is the operator's, so it may be on their private network.
import type { AttemptDeps, Outcome } from "./attempt-deps";
import { postWebhook } from "./http-client";
import { buildWebhookRequest } from "./webhook-request";
import type { JobData } from "../queue/jobs";
import { statusClass } from "../platform/metrics";

export type OperationalEventDeps = Pick<AttemptDeps, "db" | "config" | "operatorAgent" | "logger">;

export async function postOperationalEvent(
  deps: OperationalEventDeps,
  job: JobData<"operational-event">,
): Promise<Outcome> {
  const { OPERATOR_WEBHOOK_URL: url, OPERATOR_WEBHOOK_SECRET: secret } = deps.config;
  const event = await deps.db.operationalEvent.findUnique({ where: { id: job.operationalEventId } });
  if (!event || event.sentAt || !url || !secret) return "skipped";
  const request = buildWebhookRequest(
    { id: event.id, eventType: event.type, payload: JSON.stringify(event.payload), createdAt: event.createdAt },
    { secret, previousSecrets: [], headers: {} },
    new Date(),
  );
  const result = await postWebhook({
    url,
    headers: request.headers,
    body: request.body,
    timeoutMs: deps.config.DELIVERY_TIMEOUT,
    agent: deps.operatorAgent,
    policy: { allowPrivate: true, allowedCidrs: [] },
  });
  if (result.statusCode === undefined || result.statusCode < 200 || result.statusCode >= 300) {
    // BullMQ retries the job with backoff; the event stays recorded meanwhile.
    throw new Error(`operator webhook ${url} answered ${statusClass(result)}`);
  }
  await deps.db.operationalEvent.update({ where: { id: event.id }, data: { sentAt: new Date() } });
  deps.logger.info({ operationalEventId: event.id, type: event.type }, "operational event posted");
  return "succeeded";
}
