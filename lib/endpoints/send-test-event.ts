// "Send test event" on behalf of a caller: an example event for one
// endpoint, queued for the worker (./test-events.ts), and logged. Naming a
// type of the app's catalogue sends that type with its example payload;
// otherwise a generic hookpost.test event goes.
import { withActivity } from "../apps/with-activity";
import type { Caller } from "../auth/caller";
import type { UseCaseDeps } from "../platform/web-runtime";
import { getEventType } from "../event-types/event-types";
import { NotFoundError } from "../platform/errors";
import { getEndpoint, type EndpointRef } from "./endpoints";
import { sendTestEvent as queueTestEvent } from "./test-events";

export async function sendTestEvent(
  deps: Pick<UseCaseDeps, "db" | "producer" | "logger">,
  caller: Caller,
  ref: EndpointRef & { eventType?: string },
): Promise<{ eventId: string; deliveryId: string }> {
  return withActivity(deps.db, caller, ref.appId, async (app) => {
    const endpoint = await getEndpoint(deps.db, app.id, ref.endpointId);
    let content;
    if (ref.eventType !== undefined) {
      const type = await getEventType(deps.db, app.id, ref.eventType);
      // Archived types are no longer offered; one picked on a page left open is gone too.
      if (type.archivedAt) throw new NotFoundError("event type");
      content = { eventType: type.name, payload: type.example };
    }
    const sent = await queueTestEvent(deps.db, deps.producer, deps.logger, app.id, endpoint.id, content);
    return {
      result: sent,
      activity: {
        action: "endpoint.test_sent",
        targetType: "endpoint",
        targetId: endpoint.id,
        details: { deliveryId: sent.deliveryId, ...(content ? { eventType: content.eventType } : {}) },
      },
    };
  });
}
