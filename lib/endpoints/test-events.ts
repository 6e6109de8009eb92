// "Send test event": an example event for one endpoint only, stored and
// queued like any other so that the worker, not the web process, sends it.
import type { Db } from "../platform/db";
import { newId } from "../platform/ids";
import type { Logger } from "../platform/logger";
import { scheduledAttemptJobId } from "../queue/jobs";
import type { DeliveryProducer } from "../queue/producer";

export const TEST_EVENT_TYPE = "hookpost.test";

/** What a test event carries when it is not the generic one: a catalogue type and its example's JSON text. */
export interface TestEventContent {
  eventType: string;
  payload: string;
}

// Nothing about who asked: the payload goes to the consumer's endpoint.
const GENERIC: TestEventContent = {
  eventType: TEST_EVENT_TYPE,
  payload: JSON.stringify({ test: true, message: "This is a test event sent from Hookpost." }),
};

export async function sendTestEvent(
  db: Db,
  producer: DeliveryProducer,
  logger: Logger,
  appId: string,
  endpointId: string,
  content: TestEventContent = GENERIC,
): Promise<{ eventId: string; deliveryId: string }> {
  // Made at one instant, so that the event and its delivery share a day partition.
  const now = new Date();
  const eventId = newId("event", now);
  const deliveryId = newId("delivery", now);
  await db.$transaction(async (tx) => {
    const event = await tx.event.create({
      data: {
        id: eventId,
        appId,
        eventType: content.eventType,
        payload: content.payload,
      },
    });
    await tx.delivery.create({
      // It has a job of its own, added below: the row names it, so that the scheduler leaves it.
      data: {
        id: deliveryId,
        appId,
        eventId,
        endpointId,
        nextAttemptAt: event.createdAt,
        nextAttemptJob: scheduledAttemptJobId(deliveryId, 1),
      },
    });
  });
  try {
    // Whoever sent it is watching the endpoint's log for it: ahead of any
    // backlog, and sent even to an endpoint that is only being probed.
    await producer.addScheduled([{ deliveryId, endpointId, attempt: 1, asked: true }]);
  } catch (error) {
    // Committed: the sweeper enqueues it once Redis answers again.
    logger.warn({ err: error, deliveryId, endpointId, appId }, "enqueue failed; the sweeper will deliver");
  }
  return { eventId, deliveryId };
}
