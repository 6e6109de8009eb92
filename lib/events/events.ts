// Event ingestion: the event and its deliveries are committed in one
// transaction before anything is queued, so an accepted event survives any
// crash or Redis outage that follows (the sweeper enqueues what is missing).
import { Prisma, type App, type Event } from "@prisma/client";
import { z } from "zod";
import { RawJson } from "../platform/json-source";
import { runSql, type Db, type SqlRunner } from "../platform/db";
import { NotFoundError } from "../platform/errors";
import { idPrefixes, newId } from "../platform/ids";
import type { StoredTrace } from "../platform/tracing";

/** How long an Idempotency-Key (or eventId) maps to the event it created. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export const eventTypeSchema = z
  .string()
  .regex(/^[a-zA-Z0-9\-_.]{1,256}$/, "eventType may contain letters, digits, '-', '_' and '.' (at most 256)")
  .meta({ example: "invoice.paid" });

export const createEventSchema = z
  .object({
    eventType: eventTypeSchema,
    // Checked, not rebuilt: zod would copy the object and so drop keys such as
    // "__proto__" that are legitimate JSON the consumer should receive as sent.
    payload: z
      .custom<Record<string, unknown>>(
        (value) => typeof value === "object" && value !== null && !Array.isArray(value),
        "payload must be a JSON object",
      )
      .meta({
        description: "Any JSON object; consumers receive it as `data`, byte for byte as sent",
        override: { type: "object", additionalProperties: true },
        example: { invoice: 42 },
      }),
    eventId: z.string().min(1).max(256).optional().meta({
      description: "Your own id for the event, usable wherever its id is; without an Idempotency-Key, it serves as one",
    }),
  })
  .meta({ id: "CreateEvent" });

export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(256)
  // PostgreSQL's text cannot hold U+0000; the body's strings are checked as it is read (lib/api/request.ts).
  .refine((key) => !key.includes("\0"), "Idempotency-Key must not contain U+0000")
  .optional()
  .meta({
    description:
      "A request repeating the key of an event created within 24 hours gets that event back (202) and creates nothing: retry with the same key",
    example: "invoice-42",
  });

/** An event as the API answers it. */
export const eventSchema = z
  .object({
    id: z.string().meta({ example: "event_01JF3Z8Q6N2V7W4X5Y6Z7A8B9C" }),
    eventType: z.string(),
    payload: z.record(z.string(), z.unknown()).meta({ description: "The payload as it was sent" }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Event" });

export type CreateEventInput = z.infer<typeof createEventSchema>;

/**
 * An event to store. The payload is kept as JSON text, so that it reaches
 * consumers as its producer wrote it (64-bit ids, key order, number
 * spelling): the API passes the `payload` member's own source text; code
 * making events of its own may pass an object, stored as JSON.stringify
 * writes it.
 */
export interface NewEvent {
  eventType: string;
  payload: string | Record<string, unknown>;
  eventId?: string;
}

/** The event resource (eventSchema), its payload kept as the JSON text it was sent as. */
export function toEventResource(
  event: Pick<Event, "id" | "eventType" | "payload" | "createdAt">,
): Omit<z.output<typeof eventSchema>, "payload"> & { payload: RawJson } {
  return {
    id: event.id,
    eventType: event.eventType,
    payload: new RawJson(event.payload),
    createdAt: event.createdAt.toISOString(),
  };
}

/**
 * PostgreSQL refused the statement writing a batch of events for what one
 * of them holds (SQLSTATE classes 22 data exception, 23 integrity
 * constraint, 54 program limit). The statement is its own transaction, so
 * nothing of the batch committed and each event may be written again.
 */
export class EventsRefusedError extends Error {
  constructor(cause: unknown) {
    super("PostgreSQL refused to store the batch of events", { cause });
    this.name = "EventsRefusedError";
  }
}

const REFUSED_FOR_DATA = /^(22|23|54)[0-9A-Z]{3}$/;

function refusedForData(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === "string" && REFUSED_FOR_DATA.test(code);
}

export interface IngestResult {
  event: Pick<Event, "id" | "eventType" | "payload" | "createdAt">;
  /** False when the idempotency key matched an earlier event, which is returned instead. */
  created: boolean;
  /** Deliveries created by this call; empty for a duplicate. */
  deliveryIds: string[];
  /** The endpoint of each of deliveryIds, in the same order: it decides the delivery's queue shard. */
  endpointIds: string[];
}

export interface IngestRequest {
  app: Pick<App, "id">;
  input: NewEvent;
  idempotencyKey: string | undefined;
  /** The producer's trace, which the event's webhooks continue (lib/platform/tracing.ts). */
  storedTrace?: StoredTrace;
}

/** Stores one event; see ingestEvents. */
export async function ingestEvent(
  db: SqlRunner,
  app: Pick<App, "id">,
  input: NewEvent,
  idempotencyKey: string | undefined,
): Promise<IngestResult> {
  const [result] = await ingestEvents(db, [{ app, input, idempotencyKey }]);
  return result!;
}

/**
 * Stores events, each with a delivery per subscribed endpoint, and returns
 * one result per request in order. Every event and its deliveries are
 * written by one statement, so they commit together (the rule "stored before
 * acknowledged") without a multi-statement transaction, and a batch of
 * events costs the same one or two round trips as one. Requests repeating
 * an idempotency key, within the batch or of an earlier event, get that
 * event back and create nothing.
 * The API passes the pool itself: through Prisma, compiling and mapping
 * these statements cost more than running them. `firstAttemptJob` names
 * the queue job that will hold the new deliveries' first attempts; without
 * one, the scheduler in the worker queues them (lib/sending/scheduler.ts).
 * A refusal of the writing statements for the data of one of the events
 * throws EventsRefusedError (lib/events/ingestion.ts writes such a batch apart).
 */
export async function ingestEvents(
  db: SqlRunner,
  requests: IngestRequest[],
  options: { firstAttemptJob?: string } = {},
): Promise<IngestResult[]> {
  const keyOf = (request: IngestRequest) => request.idempotencyKey ?? request.input.eventId ?? null;
  // The first request with a key writes; later ones in the batch repeat it.
  const leaders = new Map<string, number>();
  const written: number[] = [];
  requests.forEach((request, index) => {
    const key = keyOf(request);
    const scoped = key === null ? undefined : JSON.stringify([request.app.id, key]);
    if (scoped !== undefined && leaders.has(scoped)) return;
    if (scoped !== undefined) leaders.set(scoped, index);
    written.push(index);
  });
  const rows = written.map((index) => {
    const request = requests[index]!;
    const { payload } = request.input;
    return {
      request,
      key: keyOf(request),
      id: newId("event"),
      payload: typeof payload === "string" ? payload : JSON.stringify(payload),
    };
  });

  const keyed = rows.filter((row) => row.key !== null);
  let inserted: Array<{ id: string; created_at: Date; delivery_ids: string[]; endpoint_ids: string[] }>;
  try {
    if (keyed.length > 0) {
      // Release keys whose window has passed, so they can name new events.
      // Safe on its own: if the insert below fails, the keys had expired anyway.
      await runSql(
        db,
        Prisma.sql`
        DELETE FROM idempotency_keys
        WHERE (app_id, key) IN (
          SELECT * FROM unnest(${keyed.map((row) => row.request.app.id)}::text[], ${keyed.map((row) => row.key)}::text[]))
          AND created_at < now() - make_interval(secs => ${IDEMPOTENCY_WINDOW_MS / 1000})`,
      );
    }
    // Insert-on-conflict rather than read-then-write: concurrent duplicates
    // wait on the key's unique index and then see the winner's row. A
    // duplicate key inserts no event, so no deliveries either. The keys have
    // a table of their own: events are partitioned, and a unique index there
    // would have to include the id. The subscribed endpoints are
    // read by the same statement, under its snapshot: an endpoint committed
    // before it started gets its delivery, one committed later does not.
    // Reading them first would cost a round trip per batch.
    // Each delivery's id is made here too: the time of its event (so that
    // both are in the same day partition, lib/retention/), then a random
    // part from random(): gen_random_uuid() reads the kernel's random
    // source, a system call per row. Ids must be unique, not secret.
    inserted = await runSql<{ id: string; created_at: Date; delivery_ids: string[]; endpoint_ids: string[] }>(
      db,
      Prisma.sql`
      WITH input AS (
        SELECT * FROM unnest(
          ${rows.map((row) => row.id)}::text[],
          ${rows.map((row) => row.request.app.id)}::text[],
          ${rows.map((row) => row.request.input.eventType)}::text[],
          ${rows.map((row) => row.payload)}::text[],
          ${rows.map((row) => row.request.input.eventId ?? null)}::text[],
          ${rows.map((row) => row.key)}::text[],
          ${rows.map((row) => row.request.storedTrace?.traceparent ?? null)}::text[],
          ${rows.map((row) => row.request.storedTrace?.tracestate ?? null)}::text[]
        ) AS input(id, app_id, event_type, payload, external_id, idempotency_key, trace_parent, trace_state)
      ), claimed AS (
        INSERT INTO idempotency_keys (app_id, key, event_id)
        SELECT app_id, idempotency_key, id FROM input WHERE idempotency_key IS NOT NULL
        ON CONFLICT (app_id, key) DO NOTHING
        RETURNING event_id
      ), event AS (
        INSERT INTO events (id, app_id, event_type, payload, external_id, idempotency_key, trace_parent, trace_state)
        SELECT id, app_id, event_type, payload, external_id, idempotency_key, trace_parent, trace_state
        FROM input
        WHERE idempotency_key IS NULL OR id IN (SELECT event_id FROM claimed)
        RETURNING id, app_id, event_type, created_at
      ), deliveries AS (
        INSERT INTO deliveries (id, app_id, event_id, endpoint_id, next_attempt_at, next_attempt_job)
        SELECT ${`${idPrefixes.delivery}_`}::text || substr(event.id, ${idPrefixes.event.length + 2}, 10)
                 || upper(left(md5(random()::text || random()::text), 16)),
               event.app_id, event.id, endpoint.id, event.created_at, ${options.firstAttemptJob ?? null}::text
        FROM event
        JOIN endpoints endpoint ON endpoint.app_id = event.app_id AND NOT endpoint.disabled
          AND (cardinality(endpoint.event_types) = 0 OR event.event_type = ANY(endpoint.event_types))
        RETURNING id, event_id, endpoint_id
      )
      -- Grouped rather than joined: the hot-path pool plans no hash join
      -- (lib/platform/db.ts), and a nested loop would compare every event with every
      -- delivery of the batch.
      SELECT id, max(created_at) AS created_at,
             array_remove(array_agg(delivery_id ORDER BY endpoint_id), NULL) AS delivery_ids,
             array_remove(array_agg(endpoint_id ORDER BY endpoint_id), NULL) AS endpoint_ids
      FROM (SELECT id, created_at, NULL::text AS delivery_id, NULL::text AS endpoint_id FROM event
            UNION ALL
            SELECT event_id, NULL, id, endpoint_id FROM deliveries) AS written
      GROUP BY id`,
      "ingest-events",
    );
  } catch (error) {
    throw refusedForData(error) ? new EventsRefusedError(error) : error;
  }
  const insertedById = new Map(inserted.map((row) => [row.id, row]));

  // Keys that matched an event committed earlier: that event is the answer.
  const earlier = rows.filter((row) => !insertedById.has(row.id));
  const existing =
    earlier.length === 0
      ? []
      : await runSql<{
          id: string;
          app_id: string;
          idempotency_key: string;
          event_type: string;
          payload: string;
          created_at: Date;
        }>(
          db,
          Prisma.sql`
          SELECT event.id, claimed.app_id, claimed.key AS idempotency_key, event.event_type, event.payload,
                 event.created_at
          FROM idempotency_keys claimed JOIN events event ON event.id = claimed.event_id
          WHERE (claimed.app_id, claimed.key) IN (
            SELECT * FROM unnest(${earlier.map((row) => row.request.app.id)}::text[], ${earlier.map((row) => row.key)}::text[]))`,
        );
  const results = new Map<number, IngestResult>();
  rows.forEach((row, position) => {
    const index = written[position]!;
    const stored = insertedById.get(row.id);
    if (stored !== undefined) {
      results.set(index, {
        event: {
          id: row.id,
          eventType: row.request.input.eventType,
          payload: row.payload,
          createdAt: stored.created_at,
        },
        created: true,
        deliveryIds: stored.delivery_ids,
        endpointIds: stored.endpoint_ids,
      });
      return;
    }
    const found = existing.find(
      (candidate) => candidate.app_id === row.request.app.id && candidate.idempotency_key === row.key,
    );
    if (!found) throw new Error(`event ${row.id} was neither inserted nor found by its idempotency key`);
    const event = { id: found.id, eventType: found.event_type, payload: found.payload, createdAt: found.created_at };
    results.set(index, { event, created: false, deliveryIds: [], endpointIds: [] });
  });
  return requests.map((request, index) => {
    const own = results.get(index);
    if (own) return own;
    const key = keyOf(request);
    const leader = results.get(leaders.get(JSON.stringify([request.app.id, key]))!)!;
    return { event: leader.event, created: false, deliveryIds: [], endpointIds: [] };
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
