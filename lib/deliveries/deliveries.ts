// Reading deliveries and their attempts.
import type { Attempt, Delivery } from "@prisma/client";
import { z } from "zod";
import type { Db } from "../platform/db";
import { NotFoundError } from "../platform/errors";
import { getEvent } from "../events/events";
import { pageArgs, toPage, type PageQuery } from "../platform/pagination";

/** A delivery (one event on its way to one endpoint) as the API answers it. */
export const deliverySchema = z
  .object({
    id: z.string().meta({ example: "delivery_01JF3Z8Q6N2V7W4X5Y6Z7A8B9C" }),
    endpointId: z.string(),
    status: z.enum(["pending", "succeeded", "failed"]),
    attemptCount: z.number().int(),
    nextAttemptAt: z.iso
      .datetime()
      .nullable()
      .meta({ description: "When it is next attempted; null when not scheduled" }),
    heldSince: z.iso
      .datetime()
      .nullable()
      .meta({ description: "Since when it waits, unsent, for its failing endpoint to answer a probe with 2xx" }),
    failureReason: z
      .string()
      .nullable()
      .meta({ description: "Why it failed, when no attempt says so (it expired while its endpoint was failing)" }),
  })
  .meta({ id: "Delivery" });

/** One HTTP exchange (or failure to have one) with an endpoint, as the API answers it. */
export const attemptSchema = z
  .object({
    id: z.string().meta({ example: "attempt_01JF3Z8Q6N2V7W4X5Y6Z7A8B9C" }),
    responseStatusCode: z.number().int().nullable(),
    responseBody: z.string().nullable().meta({ description: "The start of the endpoint's answer" }),
    error: z.string().nullable().meta({ description: "Why no answer was had (timeout, refused connection...)" }),
    durationMs: z.number().int().nullable(),
    trigger: z
      .enum(["scheduled", "manual"])
      .meta({ description: "`manual` for a Retry someone asked for, `scheduled` otherwise" }),
    traceId: z
      .string()
      .nullable()
      .meta({ description: "The W3C trace id the attempt was sent in, when its event came with a `traceparent`" }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Attempt" });

export function toDeliveryResource(delivery: Delivery): z.output<typeof deliverySchema> {
  return {
    id: delivery.id,
    endpointId: delivery.endpointId,
    status: delivery.status,
    attemptCount: delivery.attemptCount,
    // A held delivery's row keeps its deadline there: it has no next attempt until its endpoint's breaker closes.
    nextAttemptAt: delivery.heldSince ? null : (delivery.nextAttemptAt?.toISOString() ?? null),
    heldSince: delivery.heldSince?.toISOString() ?? null,
    failureReason: delivery.failureReason,
  };
}

export function toAttemptResource(attempt: Attempt): z.output<typeof attemptSchema> {
  return {
    id: attempt.id,
    responseStatusCode: attempt.responseStatusCode,
    responseBody: attempt.responseBody,
    error: attempt.error,
    durationMs: attempt.durationMs,
    trigger: attempt.trigger,
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
