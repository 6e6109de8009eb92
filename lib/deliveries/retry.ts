// Retry: one extra attempt of a delivery, asked for by an operator, the
// app's portal or an API key. The worker makes it, never the caller.
import { z } from "zod";
import { withActivity } from "../apps/with-activity";
import type { Caller } from "../auth/caller";
import type { UseCaseDeps } from "../platform/web-runtime";
import { getDelivery } from "./deliveries";

export interface DeliveryRef {
  appId: string;
  deliveryId: string;
}

/** The API's answer to a Retry: the attempt is queued, and will appear in the delivery's attempts. */
export const retryQueuedSchema = z.object({ status: z.literal("queued") }).meta({ id: "RetryQueued" });

export type RetryQueued = z.output<typeof retryQueuedSchema>;

export async function retryDelivery(
  deps: Pick<UseCaseDeps, "db" | "producer">,
  caller: Caller,
  ref: DeliveryRef,
): Promise<void> {
  await withActivity(deps.db, caller, ref.appId, async (app, actor) => {
    const delivery = await getDelivery(deps.db, app.id, ref.deliveryId);
    await deps.producer.addManual({ deliveryId: delivery.id, endpointId: delivery.endpointId }, actor);
    return {
      result: undefined,
      activity: {
        action: "delivery.retried",
        targetType: "delivery",
        targetId: delivery.id,
        details: { endpointId: delivery.endpointId, eventId: delivery.eventId },
      },
    };
  });
}
