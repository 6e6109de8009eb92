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

export async function ingestEvent(
  db: Db,
  app: Pick<App, "id">,
  input: CreateEventInput,
  idempotencyKey: string | undefined,
): Promise<IngestResult> {
  const key = idempotencyKey ?? input.eventId ?? null;
  return db.$transaction(async (tx) => {
    if (key !== null) {
      // Release a key whose window has passed, so it can name a new event.
      await tx.$executeRaw`
        UPDATE events SET idempotency_key = NULL
        WHERE app_id = ${app.id} AND idempotency_key = ${key}
          AND created_at < now() - make_interval(secs => ${IDEMPOTENCY_WINDOW_MS / 1000})`;
    }
    const id = newId("event");
    // Insert-on-conflict rather than read-then-write: concurrent duplicates
    // wait on the unique index and then see the winner's row.
    const inserted = await tx.$queryRaw<Array<{ created_at: Date }>>`
      INSERT INTO events (id, app_id, event_type, payload, external_id, idempotency_key)
      VALUES (${id}, ${app.id}, ${input.eventType}, ${JSON.stringify(input.payload)}::jsonb,
              ${input.eventId ?? null}, ${key})
      ON CONFLICT (app_id, idempotency_key) DO NOTHING
      RETURNING created_at`;
    const createdAt = inserted[0]?.created_at;
    if (createdAt === undefined) {
      const existing = await tx.event.findFirstOrThrow({ where: { appId: app.id, idempotencyKey: key } });
      return { event: existing, created: false, deliveryIds: [] };
    }
    const endpoints = await tx.endpoint.findMany({
      where: {
        appId: app.id,
        disabled: false,
        OR: [{ eventTypes: { isEmpty: true } }, { eventTypes: { has: input.eventType } }],
      },
      select: { id: true },
    });
    const deliveries = endpoints.map((endpoint) => ({
      id: newId("delivery"),
      appId: app.id,
      eventId: id,
      endpointId: endpoint.id,
      nextAttemptAt: createdAt,
    }));
    await tx.delivery.createMany({ data: deliveries });
    return {
      event: { id, eventType: input.eventType, payload: input.payload as Event["payload"], createdAt },
      created: true,
      deliveryIds: deliveries.map((delivery) => delivery.id),
    };
  });
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
