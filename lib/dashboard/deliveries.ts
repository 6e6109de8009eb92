// The endpoint log (deliveries, filtered, keyset-paginated) and the detail
// of one delivery with every attempt.
import type { Prisma } from "@prisma/client";
import type { Db } from "../db";
import { NotFoundError } from "../errors";
import { getEndpoint } from "../endpoints";
import { decodeCursor, encodeCursor, type Page } from "../pagination";
import type { LogFilter } from "./log-filter";
import { idAt } from "../ids";

export interface DeliveryRow {
  id: string;
  eventId: string;
  externalId: string | null;
  eventType: string;
  status: "pending" | "succeeded" | "failed";
  attemptCount: number;
  lastStatusCode: number | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
}

const CONNECTION_ERRORS = ["connection_refused", "connection_reset", "dns", "tls", "network_error"];

/**
 * Deliveries with at least one attempt of this code or class. Every class
 * but 2xx is a failure, and failed attempts of an endpoint are indexed on
 * their own (attempts_failed_by_code, attempts_failed_by_error): a filter
 * that matches nothing then reads nothing, instead of every attempt.
 *
 * The page's bound on delivery ids applies to those failed attempts too,
 * so that a page deep in the log reads only the matches below it. A single
 * code is an equality, which PostgreSQL reads from the index in delivery
 * order and merges with the log; a failing class (3xx, 4xx, 5xx) has a
 * partial index of its own (attempts_failed_5xx...), whose predicate is
 * the range written here, read the same way. Successful attempts are not
 * in those indexes, and there the bound would only invite a range over
 * every endpoint's attempts.
 */
function codeCondition(endpointId: string, code: string, page: Prisma.StringFilter): Prisma.AttemptWhereInput {
  const failed = { endpointId, deliveryId: page };
  if (code === "timeout") return { ...failed, error: "timeout" };
  if (code === "connection") return { ...failed, error: { in: CONNECTION_ERRORS } };
  const klass = /^([1-5])xx$/.exec(code);
  const low = klass ? Number(klass[1]) * 100 : Number(code);
  const codes = klass ? { gte: low, lt: low + 100 } : low;
  // An attempt succeeded exactly when it was answered 2xx.
  if (low >= 200 && low < 300) return { endpointId, succeeded: true, responseStatusCode: codes };
  return { ...failed, succeeded: false, responseStatusCode: codes };
}

/** The deliveries of one endpoint's log that match the filter, on the page the cursor points to. */
function logWhere(appId: string, endpointId: string, filter: LogFilter): Prisma.DeliveryWhereInput[] {
  const page: Prisma.StringFilter = {};
  if (filter.from) page.gte = idAt("delivery", new Date(filter.from), "start");
  if (filter.to) page.lte = idAt("delivery", new Date(filter.to), "end");
  if (filter.cursor) page[filter.sort === "asc" ? "gt" : "lt"] = decodeCursor(filter.cursor);
  const and: Prisma.DeliveryWhereInput[] = [{ appId, endpointId, id: page }];
  if (filter.status) and.push({ status: filter.status });
  if (filter.eventType) and.push({ event: { eventType: filter.eventType } });
  if (filter.code) and.push({ attempts: { some: codeCondition(endpointId, filter.code, page) } });
  if (filter.q) {
    and.push(filter.q.startsWith("msg_") ? { eventId: filter.q } : { event: { appId, externalId: filter.q } });
  }
  return and;
}

export async function listEndpointDeliveries(
  db: Db,
  appId: string,
  endpointId: string,
  filter: LogFilter,
): Promise<Page<DeliveryRow>> {
  const endpoint = await getEndpoint(db, appId, endpointId);
  const and = logWhere(appId, endpoint.id, filter);
  const rows = await db.delivery.findMany({
    where: { AND: and },
    orderBy: { id: filter.sort },
    take: filter.limit + 1,
    include: { event: { select: { eventType: true, externalId: true } } },
  });
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    data: page.map((row) => ({
      id: row.id,
      eventId: row.eventId,
      externalId: row.event.externalId,
      eventType: row.event.eventType,
      status: row.status,
      attemptCount: row.attemptCount,
      lastStatusCode: row.lastStatusCode,
      lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
      nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
    })),
    nextCursor: rows.length > filter.limit && last ? encodeCursor(last.id) : null,
  };
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
}

export interface DeliveryDetail {
  id: string;
  appId: string;
  status: "pending" | "succeeded" | "failed";
  attemptCount: number;
  nextAttemptAt: string | null;
  createdAt: string;
  endpoint: { id: string; url: string };
  event: { id: string; externalId: string | null; eventType: string; payload: unknown; createdAt: string };
  attempts: AttemptView[];
}

/** Attempts are bounded by the retry schedule (a few dozen) plus manual ones; this caps a pathological case. */
const MAX_ATTEMPTS_SHOWN = 500;

export async function getDeliveryDetail(db: Db, appId: string, deliveryId: string): Promise<DeliveryDetail> {
  const delivery = await db.delivery.findFirst({
    where: { id: deliveryId, appId },
    include: {
      event: true,
      endpoint: { select: { id: true, url: true } },
      attempts: { orderBy: { id: "desc" }, take: MAX_ATTEMPTS_SHOWN },
    },
  });
  if (!delivery) throw new NotFoundError("delivery");
  return {
    id: delivery.id,
    appId: delivery.appId,
    status: delivery.status,
    attemptCount: delivery.attemptCount,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
    endpoint: delivery.endpoint,
    event: {
      id: delivery.event.id,
      externalId: delivery.event.externalId,
      eventType: delivery.event.eventType,
      payload: delivery.event.payload,
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
    })),
  };
}
