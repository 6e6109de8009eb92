// Endpoints of an app as the dashboard shows them: state, 24-hour success
// rate, last attempt and an hourly success/failure series for the chart.
import { getConfig } from "../platform/config";
import { endpointWarning, type FailureClass } from "../endpoints/health";
import type { Endpoint } from "@prisma/client";
import type { Db } from "../platform/db";
import { getEndpoint } from "../endpoints/endpoints";
import { livePreviousSecrets, readPreviousSecrets } from "../endpoints/previous-secrets";
import type { Page } from "../platform/pagination";
import { idAt } from "../platform/ids";

const HOUR_MS = 60 * 60 * 1000;
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

async function statsFor(db: Db, endpoints: Endpoint[], now: Date): Promise<EndpointOverview[]> {
  if (endpoints.length === 0) return [];
  const ids = endpoints.map((endpoint) => endpoint.id);
  const firstHour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - (CHART_HOURS - 1) * HOUR_MS;
  const since = idAt("attempt", new Date(now.getTime() - CHART_HOURS * HOUR_MS), "start");
  // Both per endpoint (LATERAL), so each is a range of the (endpoint_id, id)
  // index: the cost follows these endpoints' own traffic, and another app's
  // millions of recent attempts cannot tip the plan into a scan of the table.
  const [buckets, lastRows] = await Promise.all([
    db.$queryRaw<Array<{ endpoint_id: string; hour: Date; succeeded: boolean; count: bigint }>>`
      SELECT e.id AS endpoint_id, s.hour, s.succeeded, s.count
      FROM unnest(${ids}::text[]) AS e(id)
      CROSS JOIN LATERAL (
        SELECT date_trunc('hour', a.created_at) AS hour, a.succeeded, count(*) AS count
        FROM attempts a
        WHERE a.endpoint_id = e.id AND a.id >= ${since}
        GROUP BY 1, 2
      ) s`,
    db.$queryRaw<
      Array<{
        endpoint_id: string;
        created_at: Date;
        response_status_code: number | null;
        error: string | null;
        succeeded: boolean;
      }>
    >`
      SELECT e.id AS endpoint_id, l.created_at, l.response_status_code, l.error, l.succeeded
      FROM unnest(${ids}::text[]) AS e(id)
      CROSS JOIN LATERAL (
        SELECT a.created_at, a.response_status_code, a.error, a.succeeded
        FROM attempts a WHERE a.endpoint_id = e.id ORDER BY a.id DESC LIMIT 1
      ) l`,
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
  const dayStart = now.getTime() - CHART_HOURS * HOUR_MS;
  return endpoints.map((endpoint) => {
    const chart: HourBucket[] = Array.from({ length: CHART_HOURS }, (_, i) => ({
      hour: new Date(firstHour + i * HOUR_MS).toISOString(),
      succeeded: 0,
      failed: 0,
    }));
    let attempts = 0;
    let succeeded = 0;
    for (const row of buckets) {
      if (row.endpoint_id !== endpoint.id) continue;
      const count = Number(row.count);
      const slot = chart[Math.floor((row.hour.getTime() - firstHour) / HOUR_MS)];
      if (slot) slot[row.succeeded ? "succeeded" : "failed"] += count;
      // The first bucket can start before the 24 h window; the id bound already cut it.
      if (row.hour.getTime() + HOUR_MS > dayStart) {
        attempts += count;
        if (row.succeeded) succeeded += count;
      }
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
