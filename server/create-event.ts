// POST /api/v1/apps/:appId/events, the one hot route: every event a
// producer sends comes through here, so server/main.ts answers it directly
// instead of through Next.js's router, whose per-request work would cost
// more than the event itself. It goes
// through the same apiRoute wrapper as every other /api/v1 route, so its
// authentication, errors and request log are theirs.
import { SpanStatusCode } from "@opentelemetry/api";
import { apiHandler, json } from "../lib/api/route";
import { resolveAppId } from "../lib/apps/apps";
import { HookpostError } from "../lib/platform/errors";
import { readEventRequest } from "../lib/events/event-request";
import { toEventResource } from "../lib/events/events";
import type { Ingestion } from "../lib/events/ingestion";
import { getMetrics } from "../lib/platform/metrics";
import { currentTraceCarrier, traceToStore, tracer } from "../lib/platform/tracing";

export const CREATE_EVENT_ROUTE = "/api/v1/apps/[appId]/events";
const CREATE_EVENT_PATH = /^\/api\/v1\/apps\/([^/?#]+)\/events(?:\?.*)?$/;

/** The app reference of a `POST /api/v1/apps/:appId/events` request line, or undefined for any other request. */
export function matchCreateEvent(method: string | undefined, url: string | undefined): string | undefined {
  if (method !== "POST" || !url) return undefined;
  const appRef = CREATE_EVENT_PATH.exec(url)?.[1];
  if (!appRef) return undefined;
  try {
    return decodeURIComponent(appRef);
  } catch {
    return undefined;
  }
}

export function createEventHandler(ingestion: Ingestion) {
  return apiHandler<{ appId: string }>(async ({ req, params, db }) => {
    const app = { id: await resolveAppId(db, params.appId) };
    const ingested = getMetrics().eventsIngested;
    return tracer.startActiveSpan("event.ingest", async (span) => {
      span.setAttribute("hookpost.app_id", app.id);
      try {
        // The payload is stored and sent as the producer wrote it, not as JSON.stringify would.
        const { input, idempotencyKey } = await readEventRequest(req);
        // Answered once the event has committed; its jobs are queued with it, or by the sweeper.
        const { event, created, deliveryIds } = await ingestion.ingest({
          app,
          input,
          idempotencyKey,
          trace: currentTraceCarrier(),
          storedTrace: traceToStore({
            traceparent: req.headers.get("traceparent"),
            tracestate: req.headers.get("tracestate"),
          }),
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
}
