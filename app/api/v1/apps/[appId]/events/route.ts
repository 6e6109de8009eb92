import { readJson, validate } from "@/lib/api/request";
import { apiRoute, json } from "@/lib/api/route";
import { getApp } from "@/lib/apps";
import { createEventSchema, idempotencyKeySchema, ingestEvent, toEventResource } from "@/lib/events";
import { getWebRuntime } from "@/lib/web-runtime";

export const POST = apiRoute<{ appId: string }>(async ({ req, params, db }) => {
  const app = await getApp(db, params.appId);
  const idempotencyKey = validate(idempotencyKeySchema, req.headers.get("idempotency-key") ?? undefined);
  const input = await readJson(req, createEventSchema);
  // Committed before anything is queued: from here on the event cannot be lost.
  const { event, deliveryIds } = await ingestEvent(db, app, input, idempotencyKey);
  const { producer, logger } = getWebRuntime();
  try {
    await producer.addScheduled(deliveryIds.map((deliveryId) => ({ deliveryId, attempt: 1 })));
  } catch (error) {
    // Accepted all the same: the sweeper enqueues committed deliveries.
    logger.warn({ err: error, eventId: event.id, appId: app.id }, "enqueue failed; the sweeper will deliver");
  }
  return json(toEventResource(event), 202);
});
