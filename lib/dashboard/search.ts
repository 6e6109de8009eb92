// The top bar's search: one key, and every object it names that the
// caller may see. Each look-up is served by an index: ids by primary key,
// idempotency keys and senders' eventIds by the (app, key) indexes of
// events. An operator's search covers every app, so those two are probed
// app by app (apps are few next to events), and a portal session's covers
// its own app alone.
import { Prisma } from "@prisma/client";
import { z } from "zod";
import type { DeliveryStatus } from "@prisma/client";
import type { Db } from "../platform/db";
import { idPrefixes } from "../platform/ids";

/** What may be searched: every app (an operator), or one app (a consumer in the portal). */
export type SearchScope = { kind: "all" } | { kind: "app"; appId: string };

export const searchQuerySchema = z.object({
  q: z
    .string()
    .trim()
    .min(1, "type an id or a key to search for")
    .max(256, "a key has at most 256 characters")
    // PostgreSQL's text cannot hold it, so no key has it.
    .refine((key) => !key.includes("\u0000"), "a key cannot contain U+0000"),
});

/** At most this many of each kind are shown: a key used by many apps is narrowed by adding the app's id. */
export const SEARCH_LIMIT = 20;

export interface EventDelivery {
  id: string;
  status: DeliveryStatus;
  endpointUrl: string;
}

export type SearchHit =
  | { kind: "app"; appId: string; appName: string; uid: string | null }
  | { kind: "endpoint"; appId: string; appName: string; endpointId: string; url: string }
  | {
      kind: "delivery";
      appId: string;
      appName: string;
      deliveryId: string;
      status: DeliveryStatus;
      eventType: string;
      endpointUrl: string;
    }
  | {
      kind: "event";
      appId: string;
      appName: string;
      eventId: string;
      eventType: string;
      /** How the key named the event. */
      matched: "event id" | "idempotency key" | "sender's eventId";
      /** Its deliveries, one per endpoint it went to, at most SEARCH_LIMIT. */
      deliveries: EventDelivery[];
    };

type SearchStatements = Partial<Record<SearchHit["kind"] | "eventKeys", Prisma.Sql>>;

const prefixed = (kind: keyof typeof idPrefixes, key: string) => key.startsWith(`${idPrefixes[kind]}_`);

const inScope = (column: Prisma.Sql, scope: SearchScope) =>
  scope.kind === "app" ? Prisma.sql`AND ${column} = ${scope.appId}` : Prisma.empty;

/**
 * The statements a search runs for `key`, by what they look for. Only the
 * ones the key could match are there: an id is only looked up among the
 * objects its prefix names.
 */
export function searchStatements(key: string, scope: SearchScope): SearchStatements {
  const statements: SearchStatements = {};
  // A uid may be any text, so every key is tried as one; a consumer's portal has its one app.
  if (scope.kind === "all") {
    statements.app = Prisma.sql`
      SELECT id AS "appId", name AS "appName", uid FROM apps WHERE id = ${key}
      UNION
      SELECT id, name, uid FROM apps WHERE uid = ${key}`;
  }
  if (prefixed("endpoint", key)) {
    statements.endpoint = Prisma.sql`
      SELECT en.id AS "endpointId", en.url, a.id AS "appId", a.name AS "appName"
      FROM endpoints en JOIN apps a ON a.id = en.app_id
      WHERE en.id = ${key} ${inScope(Prisma.sql`en.app_id`, scope)}`;
  }
  if (prefixed("delivery", key)) {
    statements.delivery = Prisma.sql`
      SELECT d.id AS "deliveryId", d.status, ev.event_type AS "eventType", en.url AS "endpointUrl",
             a.id AS "appId", a.name AS "appName"
      FROM deliveries d
      JOIN apps a ON a.id = d.app_id
      JOIN events ev ON ev.id = d.event_id
      JOIN endpoints en ON en.id = d.endpoint_id
      WHERE d.id = ${key} ${inScope(Prisma.sql`d.app_id`, scope)}`;
  }
  if (prefixed("event", key)) {
    statements.event = Prisma.sql`
      SELECT ev.id AS "eventId", ev.event_type AS "eventType", a.id AS "appId", a.name AS "appName",
             'event id' AS matched
      FROM events ev JOIN apps a ON a.id = ev.app_id
      WHERE ev.id = ${key} ${inScope(Prisma.sql`ev.app_id`, scope)}`;
  }
  // Any key may be an idempotency key or a sender's eventId: both are unique
  // or indexed per app, so each app is one probe of each index.
  statements.eventKeys = Prisma.sql`
    SELECT ev.id AS "eventId", ev.event_type AS "eventType", a.id AS "appId", a.name AS "appName",
           CASE WHEN ev.idempotency_key = ${key} THEN 'idempotency key' ELSE 'sender''s eventId' END AS matched
    FROM apps a
    CROSS JOIN LATERAL (
      SELECT e.id, e.event_type, e.idempotency_key FROM events e
      WHERE e.app_id = a.id AND e.idempotency_key = ${key}
      UNION
      SELECT e.id, e.event_type, e.idempotency_key FROM events e
      WHERE e.app_id = a.id AND e.external_id = ${key}
    ) ev
    WHERE true ${inScope(Prisma.sql`a.id`, scope)}
    ORDER BY ev.id DESC
    LIMIT ${SEARCH_LIMIT}`;
  return statements;
}

/** The deliveries of the events found, by the (event, endpoint) unique index. */
export function eventDeliveriesStatement(eventIds: string[]): Prisma.Sql {
  return Prisma.sql`
    SELECT d.event_id AS "eventId", d.id, d.status, en.url AS "endpointUrl"
    FROM deliveries d JOIN endpoints en ON en.id = d.endpoint_id
    WHERE d.event_id = ANY(${eventIds}::text[])
    ORDER BY d.event_id, d.id`;
}

type EventRow = Omit<Extract<SearchHit, { kind: "event" }>, "kind" | "deliveries">;

/** Every object `key` names that the scope may see: apps, endpoints, deliveries, events with their deliveries. */
export async function search(db: Db, key: string, scope: SearchScope): Promise<SearchHit[]> {
  const statements = searchStatements(key, scope);
  const run = <T>(statement: Prisma.Sql | undefined) =>
    statement ? db.$queryRaw<T[]>(statement) : Promise.resolve([] as T[]);
  const [apps, endpoints, deliveries, byId, byKeys] = await Promise.all([
    run<{ appId: string; appName: string; uid: string | null }>(statements.app),
    run<{ endpointId: string; url: string; appId: string; appName: string }>(statements.endpoint),
    run<{
      deliveryId: string;
      status: DeliveryStatus;
      eventType: string;
      endpointUrl: string;
      appId: string;
      appName: string;
    }>(statements.delivery),
    run<EventRow>(statements.event),
    run<EventRow>(statements.eventKeys),
  ]);
  // An event whose idempotency key is also its eventId is one hit.
  const events = [...new Map([...byKeys, ...byId].map((row) => [row.eventId, row])).values()];
  const eventDeliveries =
    events.length === 0
      ? []
      : await db.$queryRaw<Array<EventDelivery & { eventId: string }>>(
          eventDeliveriesStatement(events.map((event) => event.eventId)),
        );
  return [
    ...apps.slice(0, SEARCH_LIMIT).map((row) => ({ kind: "app" as const, ...row })),
    ...endpoints.map((row) => ({ kind: "endpoint" as const, ...row })),
    ...deliveries.map((row) => ({ kind: "delivery" as const, ...row })),
    ...events.map((row) => ({
      kind: "event" as const,
      ...row,
      deliveries: eventDeliveries
        .filter((delivery) => delivery.eventId === row.eventId)
        .slice(0, SEARCH_LIMIT)
        .map(({ id, status, endpointUrl }) => ({ id, status, endpointUrl })),
    })),
  ];
}

/**
 * The page a hit leads to. An event has no page of its own: it leads to
 * its delivery when it went to one endpoint, and otherwise is listed with
 * its deliveries.
 */
export function hitHref(hit: SearchHit): string | undefined {
  switch (hit.kind) {
    case "app":
      return `/apps/${hit.appId}`;
    case "endpoint":
      return `/apps/${hit.appId}/endpoints/${hit.endpointId}`;
    case "delivery":
      return `/apps/${hit.appId}/deliveries/${hit.deliveryId}`;
    case "event":
      return hit.deliveries.length === 1 ? `/apps/${hit.appId}/deliveries/${hit.deliveries[0]!.id}` : undefined;
  }
}

/** The id of the object a hit names. */
export function hitId(hit: SearchHit): string {
  switch (hit.kind) {
    case "app":
      return hit.appId;
    case "endpoint":
      return hit.endpointId;
    case "delivery":
      return hit.deliveryId;
    case "event":
      return hit.eventId;
  }
}

/** Where to go at once: the one object the key names, when it names exactly one that has a page. */
export function onlyDestination(hits: SearchHit[]): string | undefined {
  return hits.length === 1 ? hitHref(hits[0]!) : undefined;
}
