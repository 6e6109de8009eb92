// Endpoints of an app as the dashboard shows them: state, 24-hour success
// rate, last attempt and an hourly success/failure series for the chart.
import { Prisma } from "@prisma/client";
import { getConfig } from "../platform/config";
import { endpointWarning, type FailureClass } from "../endpoints/health";
import type { Endpoint } from "@prisma/client";
import type { Db } from "../platform/db";
import { getEndpoint } from "../endpoints/endpoints";
import { livePreviousSecrets, readPreviousSecrets } from "../endpoints/previous-secrets";
import type { Page } from "../platform/pagination";
import { idAt } from "../platform/ids";
import { countAttemptHours, HOUR_MS } from "../deliveries/attempt-hours";

export const CHART_HOURS = 24;

export interface HourBucket {
  /** Start of the hour, ISO. */
  hour: string;
  succeeded: number;
  failed: number;
}

export interface EndpointOverview {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  disabled: boolean;
  disabledReason: string | null;
  disabledAt: string | null;
  failingSince: string | null;
  /** While failing and still enabled: how it fails and when Hookpost disables it. */
  warning: { disablesAt: string; failureClass: FailureClass | undefined } | null;
  attempts24h: number;
  succeeded24h: number;
  /** Succeeded / attempts over 24 h, 0..1; null without attempts. */
  successRate24h: number | null;
  lastAttempt: { at: string; statusCode: number | null; error: string | null; succeeded: boolean } | null;
  chart: HourBucket[];
  /** Rotated-out secrets still signing, newest first: when each stops. */
  previousSecrets: Array<{ expiresAt: string }>;
}

interface LastAttemptRow {
  endpoint_id: string;
  created_at: Date;
  response_status_code: number | null;
  error: string | null;
  succeeded: boolean;
}

/**
 * Each endpoint's newest attempt. Attempts are kept in a partition per
 * day, so an unbounded newest-first read starts a scan in every day kept,
 * for each endpoint: it is looked for in the last 24 hours first (one or
 * two days), and only the endpoints without an attempt there are looked
 * up across the whole log.
 */
async function lastAttemptsOf(db: Db, ids: string[], since: string): Promise<LastAttemptRow[]> {
  const newest = (endpointIds: string[], bound: Prisma.Sql) => db.$queryRaw<LastAttemptRow[]>`
    SELECT e.id AS endpoint_id, l.created_at, l.response_status_code, l.error, l.succeeded
    FROM unnest(${endpointIds}::text[]) AS e(id)
    CROSS JOIN LATERAL (
      SELECT a.created_at, a.response_status_code, a.error, a.succeeded
      FROM attempts a WHERE a.endpoint_id = e.id ${bound} ORDER BY a.id DESC LIMIT 1
    ) l`;
  const recent = await newest(ids, Prisma.sql`AND a.id >= ${since}`);
  const found = new Set(recent.map((row) => row.endpoint_id));
  const idle = ids.filter((id) => !found.has(id));
  return idle.length === 0 ? recent : [...recent, ...(await newest(idle, Prisma.empty))];
}

async function statsFor(db: Db, endpoints: Endpoint[], now: Date): Promise<EndpointOverview[]> {
  if (endpoints.length === 0) return [];
  const ids = endpoints.map((endpoint) => endpoint.id);
  const firstHour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - (CHART_HOURS - 1) * HOUR_MS;
  const dayStart = new Date(now.getTime() - CHART_HOURS * HOUR_MS);
  const [hours, lastRows] = await Promise.all([
    countAttemptHours(db, ids, dayStart, now),
    lastAttemptsOf(db, ids, idAt("attempt", dayStart, "start")),
  ]);
  const lastAttempts = new Map(
    lastRows.map((row) => [
      row.endpoint_id,
      {
        createdAt: row.created_at,
        responseStatusCode: row.response_status_code,
        error: row.error,
        succeeded: row.succeeded,
      },
    ]),
  );
  return endpoints.map((endpoint) => {
    const chart: HourBucket[] = Array.from({ length: CHART_HOURS }, (_, i) => ({
      hour: new Date(firstHour + i * HOUR_MS).toISOString(),
      succeeded: 0,
      failed: 0,
    }));
    let attempts = 0;
    let succeeded = 0;
    for (const hour of hours) {
      if (hour.endpointId !== endpoint.id) continue;
      // The hour the 24 hours start in is counted from their start on, and not charted.
      const slot = chart[Math.floor((hour.hour.getTime() - firstHour) / HOUR_MS)];
      if (slot) {
        slot.succeeded += hour.succeeded;
        slot.failed += hour.failed;
      }
      attempts += hour.succeeded + hour.failed;
      succeeded += hour.succeeded;
    }
    const last = lastAttempts.get(endpoint.id);
    const warning = endpointWarning(endpoint, last, getConfig().ENDPOINT_DISABLE_AFTER);
    return {
      id: endpoint.id,
      url: endpoint.url,
      description: endpoint.description,
      eventTypes: endpoint.eventTypes,
      disabled: endpoint.disabled,
      disabledReason: endpoint.disabledReason,
      disabledAt: endpoint.disabledAt?.toISOString() ?? null,
      failingSince: endpoint.failingSince?.toISOString() ?? null,
      warning: warning ? { disablesAt: warning.disablesAt.toISOString(), failureClass: warning.failureClass } : null,
      attempts24h: attempts,
      succeeded24h: succeeded,
      successRate24h: attempts === 0 ? null : succeeded / attempts,
      lastAttempt: last
        ? {
            at: last.createdAt.toISOString(),
            statusCode: last.responseStatusCode,
            error: last.error,
            succeeded: last.succeeded,
          }
        : null,
      chart,
      previousSecrets: livePreviousSecrets(readPreviousSecrets(endpoint.previousSecrets), now).map((entry) => ({
        expiresAt: entry.expiresAt.toISOString(),
      })),
    };
  });
}

/** Every endpoint of the app (an app has a handful, not millions), newest first. */
export async function listEndpointOverviews(db: Db, appId: string, now = new Date()): Promise<Page<EndpointOverview>> {
  const endpoints = await db.endpoint.findMany({ where: { appId }, orderBy: { id: "desc" }, take: 500 });
  return { data: await statsFor(db, endpoints, now), nextCursor: null };
}

export async function getEndpointOverview(
  db: Db,
  appId: string,
  endpointId: string,
  now = new Date(),
): Promise<EndpointOverview> {
  const endpoint = await getEndpoint(db, appId, endpointId);
  const [overview] = await statsFor(db, [endpoint], now);
  return overview!;
}
