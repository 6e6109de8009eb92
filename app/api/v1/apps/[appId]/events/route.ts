import { SpanStatusCode } from "@opentelemetry/api";
import { readJson, validate } from "@/lib/api/request";
import { apiRoute, json } from "@/lib/api/route";
import { resolveAppId } from "@/lib/apps";
import { HookpostError } from "@/lib/errors";
import { createEventSchema, idempotencyKeySchema, toEventResource } from "@/lib/events";
import { getMetrics } from "@/lib/metrics";
import { currentTraceCarrier, tracer } from "@/lib/tracing";
import { getWebRuntime } from "@/lib/web-runtime";

export const POST = apiRoute<{ appId: string }>(async ({ req, params, db }) => {
  const app = { id: await resolveAppId(db, params.appId) };
  const ingested = getMetrics().eventsIngested;
  return tracer.startActiveSpan("event.ingest", async (span) => {
    span.setAttribute("hookpost.app_id", app.id);
    try {
      const idempotencyKey = validate(idempotencyKeySchema, req.headers.get("idempotency-key") ?? undefined);
      const input = await readJson(req, createEventSchema);
      // Answered once the event has committed; its jobs are queued with it, or by the sweeper.
      const { event, created, deliveryIds } = await getWebRuntime().ingestion.ingest({
        app,
        input,
        idempotencyKey,
        trace: currentTraceCarrier(),
      });
      span.setAttributes({ "hookpost.event_id": event.id, "hookpost.deliveries": deliveryIds.length });
      ingested.inc({ app: app.id, outcome: created ? "accepted" : "duplicate" });
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
