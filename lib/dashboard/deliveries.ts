// The endpoint log (deliveries, filtered, keyset-paginated) and the detail
// of one delivery with every attempt.
import { Prisma } from "@prisma/client";
import type { Db } from "../platform/db";
import { NotFoundError } from "../platform/errors";
import { indentJson } from "../platform/json-source";
import { getEndpoint } from "../endpoints/endpoints";
import { decodeCursor, encodeCursor, type Page } from "../platform/pagination";
import { RECENT_DELIVERIES, type LogFilter } from "./log-filter";
import { firstIdSince, idAt } from "../platform/ids";

export interface DeliveryRow {
  id: string;
  eventId: string;
  externalId: string | null;
  eventType: string;
  status: "pending" | "succeeded" | "failed";
  attemptCount: number;
  lastStatusCode: number | null;
  /** The last attempt's error class, when it got no HTTP status. */
  lastError: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
}

const CONNECTION_ERRORS = ["connection_refused", "connection_reset", "dns", "tls", "network_error"];

/** The page's bounds on delivery ids: the time range and the cursor. */
function pageBounds(filter: LogFilter): Prisma.StringFilter {
  const page: Prisma.StringFilter = {};
  if (filter.from) page.gte = idAt("delivery", new Date(filter.from), "start");
  if (filter.to) page.lte = idAt("delivery", new Date(filter.to), "end");
  if (filter.cursor) page[filter.sort === "asc" ? "gt" : "lt"] = decodeCursor(filter.cursor);
  return page;
}

/** A 2xx code or class: "2xx", or the code ("204") the attempt that succeeded got. */
function successCodes(code: string): "any" | number | undefined {
  if (code === "2xx") return "any";
  return /^2\d\d$/.test(code) ? Number(code) : undefined;
}

/** The deliveries of one endpoint's log that match the filter, on the page the cursor points to. */
function logWhere(appId: string, endpointId: string, filter: LogFilter): Prisma.DeliveryWhereInput[] {
  const page = pageBounds(filter);
  const and: Prisma.DeliveryWhereInput[] = [{ appId, endpointId, id: page }];
  if (filter.status) and.push({ status: filter.status });
  if (filter.eventType) and.push({ event: { eventType: filter.eventType } });
  const succeeded = filter.code === undefined ? undefined : successCodes(filter.code);
  // A delivery is succeeded once, and as long as, one of its attempts got a
  // 2xx (lib/deliveries/attempt-outcome.ts): the class is the status, read
  // along the (endpoint_id, status, id) index, not looked up in each day of attempts.
  if (succeeded !== undefined) and.push({ status: "succeeded" });
  if (typeof succeeded === "number") {
    and.push({ attempts: { some: { endpointId, succeeded: true, responseStatusCode: succeeded } } });
  }
  if (filter.q) {
    and.push(filter.q.startsWith("msg_") ? { eventId: filter.q } : { event: { appId, externalId: filter.q } });
  }
  return and;
}

/** SQL fragments one after the other (Prisma.join refuses none). */
const allOf = (parts: Prisma.Sql[]) => (parts.length === 0 ? Prisma.empty : Prisma.join(parts, " "));

/** Failed attempts of a code ("503"), a failing class ("5xx"), "timeout" or "connection". */
function failedAttemptsSql(code: string): Prisma.Sql {
  if (code === "timeout") return Prisma.sql`a.error = 'timeout'`;
  if (code === "connection") return Prisma.sql`a.error = ANY(${CONNECTION_ERRORS}::text[])`;
  const klass = /^([1-5])xx$/.exec(code);
  if (!klass) return Prisma.sql`NOT a.succeeded AND a.response_status_code = ${Number(code)}`;
  const low = Number(klass[1]) * 100;
  // Written as the partial indexes' predicates (attempts_failed_5xx...), so that PostgreSQL uses them.
  return Prisma.sql`NOT a.succeeded AND a.response_status_code >= ${low} AND a.response_status_code < ${low + 100}`;
}

/**
 * One page of the log filtered by a failing code, found from the failed
 * attempts. Those are indexed per endpoint in delivery order
 * (attempts_failed_by_code, attempts_failed_by_error, and one partial
 * index per failing class), so the page is read from there: from the
 * cursor on, one delivery at a time, each checked against the other
 * filters, until the page is full. Written as EXISTS, PostgreSQL reckoned
 * that few of the attempts it read would match a delivery of the page
 * and, deep in a large log, chose to read every failed attempt below the
 * cursor and sort them (30-47 ms against 5 ms for the same page).
 */
function failedCodePage(db: Db, appId: string, endpointId: string, filter: LogFilter, code: string) {
  const page = pageBounds(filter);
  const bounds: Prisma.Sql[] = [];
  if (page.gte) bounds.push(Prisma.sql`AND a.delivery_id >= ${page.gte}`);
  if (page.gt) bounds.push(Prisma.sql`AND a.delivery_id > ${page.gt}`);
  if (page.lte) bounds.push(Prisma.sql`AND a.delivery_id <= ${page.lte}`);
  if (page.lt) bounds.push(Prisma.sql`AND a.delivery_id < ${page.lt}`);
  // No attempt is older than its delivery: a lower bound on deliveries is one on attempts, which skips the days before it.
  const since = page.gte ?? page.gt;
  if (since) bounds.push(Prisma.sql`AND a.id >= ${firstIdSince("attempt", since)}`);
  const conditions: Prisma.Sql[] = [];
  if (filter.status) conditions.push(Prisma.sql`AND d.status = ${filter.status}::delivery_status`);
  if (filter.eventType) conditions.push(Prisma.sql`AND e.event_type = ${filter.eventType}`);
  if (filter.q?.startsWith("msg_")) conditions.push(Prisma.sql`AND d.event_id = ${filter.q}`);
  else if (filter.q) conditions.push(Prisma.sql`AND e.external_id = ${filter.q}`);
  const direction = Prisma.raw(filter.sort === "asc" ? "ASC" : "DESC");
  return db.$queryRaw<LogRow[]>(Prisma.sql`
    SELECT log_row.*
    FROM (
      SELECT DISTINCT a.delivery_id FROM attempts a
      WHERE a.endpoint_id = ${endpointId} AND ${failedAttemptsSql(code)} ${allOf(bounds)}
      ORDER BY a.delivery_id ${direction}
    ) m
    CROSS JOIN LATERAL (
      SELECT d.id, d.event_id AS "eventId", e.external_id AS "externalId", e.event_type AS "eventType",
             d.status::text AS status, d.attempt_count AS "attemptCount", d.last_status_code AS "lastStatusCode",
             d.last_attempt_at AS "lastAttemptAt", d.next_attempt_at AS "nextAttemptAt", d.created_at AS "createdAt"
      FROM deliveries d JOIN events e ON e.id = d.event_id
      WHERE d.id = m.delivery_id AND d.app_id = ${appId} AND d.endpoint_id = ${endpointId} ${allOf(conditions)}
      -- One row at most (d.id is the key); the LIMIT keeps the look-up a
      -- look-up: flattened into a join, PostgreSQL merged the attempts
      -- with every delivery of the endpoint in id order (250 ms deep).
      LIMIT 1
    ) log_row
    ORDER BY m.delivery_id ${direction}
    LIMIT ${filter.limit + 1}`);
}

/**
 * A page of the log is a LIMIT read along an index, a millisecond or two.
 * For a filter that matches sparsely, deep in a large log, PostgreSQL
 * sometimes planned it with parallel workers (2xx 500,000 rows deep:
 * 0.5 ms of reading, 26 ms of starting the workers): the page is read
 * without them. A failing-code page reads distinct deliveries from the
 * attempts' indexes, already in order; planned as a whole, PostgreSQL
 * sometimes hashed all of them and sorted the result instead (503 500,000
 * deep at 10 million attempts: 700,000 rows, 870 ms), so it gets no hash.
 */
async function readPage<T>(db: Db, read: Prisma.PrismaPromise<T>, distinctInOrder = false): Promise<T> {
  const settings = [db.$executeRaw`SET LOCAL max_parallel_workers_per_gather = 0`];
  if (distinctInOrder) settings.push(db.$executeRaw`SET LOCAL enable_hashagg = off`);
  // A batch transaction: unlike an interactive one, no time limit of its own.
  const results = await db.$transaction([...settings, read]);
  return results.at(-1) as T;
}

/** A row of the log as read, before its dates are written out. */
type LogRow = Omit<DeliveryRow, "lastError" | "lastAttemptAt" | "nextAttemptAt" | "createdAt"> & {
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
};

export async function listEndpointDeliveries(
  db: Db,
  appId: string,
  endpointId: string,
  filter: LogFilter,
): Promise<Page<DeliveryRow>> {
  const endpoint = await getEndpoint(db, appId, endpointId);
  const failingCode = filter.code !== undefined && successCodes(filter.code) === undefined ? filter.code : undefined;
  const rows: LogRow[] =
    failingCode !== undefined
      ? await readPage(db, failedCodePage(db, appId, endpoint.id, filter, failingCode), true)
      : (
          await readPage(
            db,
            db.delivery.findMany({
              where: { AND: logWhere(appId, endpoint.id, filter) },
              orderBy: { id: filter.sort },
              take: filter.limit + 1,
              include: { event: { select: { eventType: true, externalId: true } } },
            }),
          )
        ).map((row) => ({ ...row, externalId: row.event.externalId, eventType: row.event.eventType }));
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  const lastErrors = await lastAttemptErrors(
    db,
    page.filter((row) => row.attemptCount > 0 && row.lastStatusCode === null).map((row) => row.id),
  );
  return {
    data: page.map((row) => ({
      id: row.id,
      eventId: row.eventId,
      externalId: row.externalId,
      eventType: row.eventType,
      status: row.status,
      attemptCount: row.attemptCount,
      lastStatusCode: row.lastStatusCode,
      lastError: lastErrors.get(row.id) ?? null,
      lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
      nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
    })),
    nextCursor: rows.length > filter.limit && last ? encodeCursor(last.id) : null,
  };
}

/**
 * The error class of each delivery's last attempt, for the rows of a page
 * whose last attempt got no HTTP status: one look-up along attempts'
 * (delivery_id, id) index each, and none for a page of answered attempts.
 */
async function lastAttemptErrors(db: Db, deliveryIds: string[]): Promise<Map<string, string | null>> {
  if (deliveryIds.length === 0) return new Map();
  const rows = await db.$queryRaw<Array<{ deliveryId: string; error: string | null }>>(Prisma.sql`
    SELECT d.id AS "deliveryId",
           (SELECT a.error FROM attempts a WHERE a.delivery_id = d.id ORDER BY a.id DESC LIMIT 1) AS error
    FROM unnest(${deliveryIds}::text[]) AS d(id)`);
  return new Map(rows.map((row) => [row.deliveryId, row.error]));
}

export interface AttemptView {
  id: string;
  createdAt: string;
  trigger: "scheduled" | "manual";
  triggeredBy: string | null;
  durationMs: number;
  responseStatusCode: number | null;
  error: string | null;
  errorDetail: string | null;
  succeeded: boolean;
  responseBody: string | null;
  requestHeaders: Record<string, string>;
  /** The trace the attempt was sent in, to look it up in the tracing backend. */
  traceId: string | null;
}

export interface DeliveryDetail {
  id: string;
  appId: string;
  status: "pending" | "succeeded" | "failed";
  attemptCount: number;
  nextAttemptAt: string | null;
  /**
   * Set while the delivery waits, unsent, for its endpoint's breaker to
   * close: since when, when the endpoint is probed next, and when the
   * delivery fails if no probe has succeeded by then.
   */
  held: { since: string; probeAt: string | null; expiresAt: string | null } | null;
  /** Why it failed, when no attempt says so. */
  failureReason: string | null;
  createdAt: string;
  endpoint: { id: string; url: string };
  event: {
    id: string;
    externalId: string | null;
    eventType: string;
    /** The payload's JSON text indented, each token as the producer wrote it. */
    payload: string;
    createdAt: string;
  };
  attempts: AttemptView[];
}

/** Attempts are bounded by the retry schedule (a few dozen) plus manual ones; this caps a pathological case. */
const MAX_ATTEMPTS_SHOWN = 500;

export async function getDeliveryDetail(db: Db, appId: string, deliveryId: string): Promise<DeliveryDetail> {
  const delivery = await db.delivery.findFirst({
    where: { id: deliveryId, appId },
    include: {
      event: true,
      endpoint: { select: { id: true, url: true, probeAt: true } },
      attempts: { orderBy: { id: "desc" }, take: MAX_ATTEMPTS_SHOWN },
    },
  });
  if (!delivery) throw new NotFoundError("delivery");
  return {
    id: delivery.id,
    appId: delivery.appId,
    status: delivery.status,
    attemptCount: delivery.attemptCount,
    nextAttemptAt: delivery.heldSince ? null : (delivery.nextAttemptAt?.toISOString() ?? null),
    // A held delivery's row keeps its deadline in next_attempt_at.
    held: delivery.heldSince
      ? {
          since: delivery.heldSince.toISOString(),
          probeAt: delivery.endpoint.probeAt?.toISOString() ?? null,
          expiresAt: delivery.nextAttemptAt?.toISOString() ?? null,
        }
      : null,
    failureReason: delivery.failureReason,
    createdAt: delivery.createdAt.toISOString(),
    endpoint: { id: delivery.endpoint.id, url: delivery.endpoint.url },
    event: {
      id: delivery.event.id,
      externalId: delivery.event.externalId,
      eventType: delivery.event.eventType,
      payload: indentJson(delivery.event.payload),
      createdAt: delivery.event.createdAt.toISOString(),
    },
    attempts: delivery.attempts.map((attempt) => ({
      id: attempt.id,
      createdAt: attempt.createdAt.toISOString(),
      trigger: attempt.trigger,
      triggeredBy: attempt.triggeredBy,
      durationMs: attempt.durationMs,
      responseStatusCode: attempt.responseStatusCode,
      error: attempt.error,
      errorDetail: attempt.errorDetail,
      succeeded: attempt.succeeded,
      responseBody: attempt.responseBody,
      requestHeaders: attempt.requestHeaders as Record<string, string>,
      traceId: attempt.traceId,
    })),
  };
}

export interface EndpointLog {
  /** The page the view asks for. */
  page: Page<DeliveryRow>;
  /**
   * The newest deliveries that match the view's filters (at most
   * RECENT_DELIVERIES, newest first): a live page counts what is new from
   * them, and refreshes from them the rows it keeps in place.
   */
  recent: DeliveryRow[];
}

/**
 * The endpoint log as a live page reads it. On the first page, newest
 * first, the page is the head of the recent rows, so one read serves both.
 */
export async function readEndpointLog(
  db: Db,
  appId: string,
  endpointId: string,
  filter: LogFilter,
): Promise<EndpointLog> {
  const newestView: LogFilter = { ...filter, cursor: undefined, sort: "desc", limit: RECENT_DELIVERIES };
  if (filter.cursor === undefined && filter.sort === "desc") {
    const recent = await listEndpointDeliveries(db, appId, endpointId, newestView);
    const data = recent.data.slice(0, filter.limit);
    const last = data.at(-1);
    const more = recent.data.length > filter.limit;
    return {
      page: { data, nextCursor: more && last ? encodeCursor(last.id) : recent.nextCursor },
      recent: recent.data,
    };
  }
  const [page, recent] = await Promise.all([
    listEndpointDeliveries(db, appId, endpointId, filter),
    listEndpointDeliveries(db, appId, endpointId, newestView),
  ]);
  return { page, recent: recent.data };
}
