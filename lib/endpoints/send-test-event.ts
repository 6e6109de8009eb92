// "Send test event" on behalf of a caller: an example event for one
// endpoint, queued for the worker (./test-events.ts), and logged.
import { withActivity } from "../apps/with-activity";
import type { Caller } from "../auth/caller";
import type { UseCaseDeps } from "../platform/web-runtime";
import { getEndpoint, type EndpointRef } from "./endpoints";
import { sendTestEvent as queueTestEvent } from "./test-events";

export async function sendTestEvent(
  deps: Pick<UseCaseDeps, "db" | "producer" | "logger">,
  caller: Caller,
  ref: EndpointRef,
): Promise<{ eventId: string; deliveryId: string }> {
  return withActivity(deps.db, caller, ref.appId, async (app) => {
    const endpoint = await getEndpoint(deps.db, app.id, ref.endpointId);
    const sent = await queueTestEvent(deps.db, deps.producer, deps.logger, app.id, endpoint.id);
    return {
      result: sent,
      activity: {
        action: "endpoint.test_sent",
        targetType: "endpoint",
        targetId: endpoint.id,
        details: { deliveryId: sent.deliveryId },
      },
    };
  });
}
