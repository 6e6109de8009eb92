import { SpanStatusCode } from "@opentelemetry/api";
import { readJson, validate } from "@/lib/api/request";
import { apiRoute, json } from "@/lib/api/route";
import { getApp } from "@/lib/apps";
import { HookpostError } from "@/lib/errors";
import { createEventSchema, idempotencyKeySchema, ingestEvent, toEventResource } from "@/lib/events";
import { getMetrics } from "@/lib/metrics";
import { currentTraceId, tracer } from "@/lib/tracing";
import { getWebRuntime } from "@/lib/web-runtime";

export const POST = apiRoute<{ appId: string }>(async ({ req, params, db }) => {
  const app = await getApp(db, params.appId);
  const ingested = getMetrics().eventsIngested;
  return tracer.startActiveSpan("event.ingest", async (span) => {
    span.setAttribute("hookpost.app_id", app.id);
    try {
      const idempotencyKey = validate(idempotencyKeySchema, req.headers.get("idempotency-key") ?? undefined);
      const input = await readJson(req, createEventSchema);
      // Committed before anything is queued: from here on the event cannot be lost.
      const { event, created, deliveryIds } = await ingestEvent(db, app, input, idempotencyKey);
      span.setAttributes({ "hookpost.event_id": event.id, "hookpost.deliveries": deliveryIds.length });
      ingested.inc({ app: app.id, outcome: created ? "accepted" : "duplicate" });
      const { producer, logger } = getWebRuntime();
      try {
        await producer.addScheduled(deliveryIds.map((deliveryId) => ({ deliveryId, attempt: 1 })));
      } catch (error) {
        // Accepted all the same: the sweeper enqueues committed deliveries.
        logger.warn(
          { err: error, eventId: event.id, appId: app.id, traceId: currentTraceId() },
          "enqueue failed; the sweeper will deliver",
        );
      }
      return json(toEventResource(event), 202);
    } catch (error) {
      if (error instanceof HookpostError && error.status < 500) ingested.inc({ app: app.id, outcome: "rejected" });
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
});
