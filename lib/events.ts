// Event ingestion: the event and its deliveries are committed in one
// transaction before anything is queued, so an accepted event survives any
// crash or Redis outage that follows (the sweeper enqueues what is missing).
import type { App, Event } from "@prisma/client";
import { z } from "zod";
import type { Db } from "./db";
import { NotFoundError } from "./errors";
import { newId } from "./ids";

/** How long an Idempotency-Key (or eventId) maps to the event it created. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export const eventTypeSchema = z
  .string()
  .regex(/^[a-zA-Z0-9\-_.]{1,256}$/, "eventType may contain letters, digits, '-', '_' and '.' (at most 256)");

export const createEventSchema = z.object({
  eventType: eventTypeSchema,
  // Checked, not rebuilt: zod would copy the object and so drop keys such as
  // "__proto__" that are legitimate JSON the consumer should receive as sent.
  payload: z.custom<Record<string, unknown>>(
    (value) => typeof value === "object" && value !== null && !Array.isArray(value),
    "payload must be a JSON object",
  ),
  eventId: z.string().min(1).max(256).optional(),
});

export const idempotencyKeySchema = z.string().min(1).max(256).optional();

export type CreateEventInput = z.infer<typeof createEventSchema>;

export function toEventResource(event: Pick<Event, "id" | "eventType" | "payload" | "createdAt">) {
  return { id: event.id, eventType: event.eventType, payload: event.payload, createdAt: event.createdAt.toISOString() };
}

export interface IngestResult {
  event: Pick<Event, "id" | "eventType" | "payload" | "createdAt">;
  /** False when the idempotency key matched an earlier event, which is returned instead. */
  created: boolean;
  /** Deliveries created by this call; empty for a duplicate. */
  deliveryIds: string[];
}

/**
 * Stores an event and a delivery per subscribed endpoint. The event and its
 * deliveries are written by one statement, so they commit together (the
 * rule "stored before acknowledged") without a multi-statement transaction:
 * two or three round trips instead of five, and no wait for a transaction
 * slot in the connection pool under load (see docs/performance.md).
 */
export async function ingestEvent(
  db: Db,
  app: Pick<App, "id">,
  input: CreateEventInput,
  idempotencyKey: string | undefined,
): Promise<IngestResult> {
  const key = idempotencyKey ?? input.eventId ?? null;
  if (key !== null) {
    // Release a key whose window has passed, so it can name a new event.
    // Safe on its own: if the insert below fails, the key had expired anyway.
    await db.$executeRaw`
      UPDATE events SET idempotency_key = NULL
      WHERE app_id = ${app.id} AND idempotency_key = ${key}
        AND created_at < now() - make_interval(secs => ${IDEMPOTENCY_WINDOW_MS / 1000})`;
  }
  // Read just before the insert, not inside its transaction: under READ
  // COMMITTED a read there would also see only the endpoints committed
  // before it ran, so nothing is lost.
  const endpoints = await db.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM endpoints
    WHERE app_id = ${app.id} AND NOT disabled
      AND (cardinality(event_types) = 0 OR ${input.eventType} = ANY(event_types))
    ORDER BY id`;
  const id = newId("event");
  const deliveryIds = endpoints.map(() => newId("delivery"));
  // Insert-on-conflict rather than read-then-write: concurrent duplicates
  // wait on the unique index and then see the winner's row. A duplicate
  // inserts no event, so no deliveries either.
  const inserted = await db.$queryRaw<Array<{ created_at: Date }>>`
    WITH event AS (
      INSERT INTO events (id, app_id, event_type, payload, external_id, idempotency_key)
      VALUES (${id}, ${app.id}, ${input.eventType}, ${JSON.stringify(input.payload)}::jsonb,
              ${input.eventId ?? null}, ${key})
      ON CONFLICT (app_id, idempotency_key) DO NOTHING
      RETURNING id, created_at
    ), deliveries AS (
      INSERT INTO deliveries (id, app_id, event_id, endpoint_id, next_attempt_at)
      SELECT d.id, ${app.id}, event.id, d.endpoint_id, event.created_at
      FROM event, unnest(${deliveryIds}::text[], ${endpoints.map((endpoint) => endpoint.id)}::text[]) AS d(id, endpoint_id)
    )
    SELECT created_at FROM event`;
  const createdAt = inserted[0]?.created_at;
  if (createdAt === undefined) {
    const existing = await db.event.findFirstOrThrow({ where: { appId: app.id, idempotencyKey: key } });
    return { event: existing, created: false, deliveryIds: [] };
  }
  return {
    event: { id, eventType: input.eventType, payload: input.payload as Event["payload"], createdAt },
    created: true,
    deliveryIds,
  };
}

/** An app's event by its id or by the eventId its sender gave it. */
export async function getEvent(db: Db, appId: string, eventIdOrExternalId: string): Promise<Event> {
  const event = await db.event.findFirst({
    where: eventIdOrExternalId.startsWith("msg_")
      ? { appId, id: eventIdOrExternalId }
      : { appId, externalId: eventIdOrExternalId },
    orderBy: { id: "desc" },
  });
  if (!event) throw new NotFoundError("event");
  return event;
}
