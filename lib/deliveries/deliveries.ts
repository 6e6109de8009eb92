// Reading deliveries and their attempts.
import type { Attempt, Delivery } from "@prisma/client";
import type { Db } from "../platform/db";
import { NotFoundError } from "../platform/errors";
import { getEvent } from "../events/events";
import { pageArgs, toPage, type PageQuery } from "../platform/pagination";

export function toDeliveryResource(delivery: Delivery) {
  return {
    id: delivery.id,
    endpointId: delivery.endpointId,
    status: delivery.status,
    attemptCount: delivery.attemptCount,
    // A held delivery's row keeps its deadline there: it has no next attempt until its endpoint's breaker closes.
    nextAttemptAt: delivery.heldSince ? null : (delivery.nextAttemptAt?.toISOString() ?? null),
    /** Since when it waits, unsent, for its endpoint to answer a probe with 2xx. */
    heldSince: delivery.heldSince?.toISOString() ?? null,
    /** Why it failed, when no attempt says so (it expired while its endpoint was failing). */
    failureReason: delivery.failureReason,
  };
}

export function toAttemptResource(attempt: Attempt) {
  return {
    id: attempt.id,
    responseStatusCode: attempt.responseStatusCode,
    responseBody: attempt.responseBody,
    error: attempt.error,
    durationMs: attempt.durationMs,
    trigger: attempt.trigger,
    /** The W3C trace id the attempt was sent in, when there was one. */
    traceId: attempt.traceId,
    createdAt: attempt.createdAt.toISOString(),
  };
}

/** The delivery, if it belongs to the app: another app's delivery is simply not found. */
export async function getDelivery(db: Db, appId: string, deliveryId: string): Promise<Delivery> {
  const delivery = await db.delivery.findFirst({ where: { id: deliveryId, appId } });
  if (!delivery) throw new NotFoundError("delivery");
  return delivery;
}

export async function listEventDeliveries(db: Db, appId: string, eventIdOrExternalId: string, page: PageQuery) {
  const event = await getEvent(db, appId, eventIdOrExternalId);
  const args = pageArgs(page);
  const rows = await db.delivery.findMany({ ...args, where: { ...args.where, eventId: event.id } });
  return toPage(rows, page.limit, toDeliveryResource);
}

export async function listAttempts(db: Db, appId: string, deliveryId: string, page: PageQuery) {
  const delivery = await getDelivery(db, appId, deliveryId);
  const args = pageArgs(page);
  const rows = await db.attempt.findMany({ ...args, where: { ...args.where, deliveryId: delivery.id } });
  return toPage(rows, page.limit, toAttemptResource);
}
