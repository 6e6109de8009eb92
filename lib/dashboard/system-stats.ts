// The figures an operator looks at first: is delivery flowing, is it
// succeeding, is the queue growing, and which endpoints hurt.
import type { Db } from "../platform/db";
import { readDeliveryBacklog, type DeliveryBacklog } from "../deliveries/backlog";
import { idAt } from "../platform/ids";
import { countJobs } from "../queue/depth";
import type { DeliveryProducer } from "../queue/producer";

export interface MinuteBucket {
  minute: string;
  succeeded: number;
  failed: number;
}

export interface EndpointFigure {
  endpointId: string;
  appId: string;
  appName: string;
  url: string;
  attempts: number;
  failures: number;
  avgDurationMs: number;
}

export interface SystemStats {
  windowHours: number;
  perMinute: MinuteBucket[];
  attempts: number;
  successRate: number | null;
  /** Deliveries waiting, from their rows: what the queue's job counts cannot say. */
  backlog: DeliveryBacklog;
  queue: Record<string, number>;
  slowestEndpoints: EndpointFigure[];
  mostFailingEndpoints: EndpointFigure[];
}

/** One bucket per minute of the window, quiet minutes included, so the chart's time axis is true. */
function everyMinute(
  rows: Array<{ minute: Date; succeeded: bigint; failed: bigint }>,
  now: Date,
  windowHours: number,
): MinuteBucket[] {
  const byMinute = new Map(rows.map((row) => [row.minute.getTime(), row]));
  const last = Math.floor(now.getTime() / 60_000) * 60_000;
  const buckets: MinuteBucket[] = [];
  for (let minute = last - (windowHours * 60 - 1) * 60_000; minute <= last; minute += 60_000) {
    const row = byMinute.get(minute);
    buckets.push({
      minute: new Date(minute).toISOString(),
      succeeded: Number(row?.succeeded ?? 0),
      failed: Number(row?.failed ?? 0),
    });
  }
  return buckets;
}

export async function systemStats(
  db: Db,
  producer: DeliveryProducer,
  windowHours = 6,
  now = new Date(),
): Promise<SystemStats> {
  // Attempt ids sort by time, so the window is a primary-key range.
  const since = idAt("attempt", new Date(now.getTime() - windowHours * 3600_000), "start");
  const [perMinute, endpoints, backlog, queue] = await Promise.all([
    db.$queryRaw<Array<{ minute: Date; succeeded: bigint; failed: bigint }>>`
      SELECT date_trunc('minute', created_at) AS minute,
             count(*) FILTER (WHERE succeeded) AS succeeded,
             count(*) FILTER (WHERE NOT succeeded) AS failed
      FROM attempts WHERE id >= ${since}
      GROUP BY 1 ORDER BY 1`,
    db.$queryRaw<
      Array<{
        endpoint_id: string;
        app_id: string;
        app_name: string;
        url: string;
        attempts: bigint;
        failures: bigint;
        avg_ms: number;
      }>
    >`
      SELECT a.endpoint_id, e.app_id, min(ap.name) AS app_name, e.url, count(*) AS attempts,
             count(*) FILTER (WHERE NOT a.succeeded) AS failures,
             avg(a.duration_ms)::float8 AS avg_ms
      FROM attempts a JOIN endpoints e ON e.id = a.endpoint_id JOIN apps ap ON ap.id = e.app_id
      WHERE a.id >= ${since}
      GROUP BY a.endpoint_id, e.app_id, e.url`,
    readDeliveryBacklog(db),
    countJobs(producer.queues),
  ]);
  const figures: EndpointFigure[] = endpoints.map((row) => ({
    endpointId: row.endpoint_id,
    appId: row.app_id,
    appName: row.app_name,
    url: row.url,
    attempts: Number(row.attempts),
    failures: Number(row.failures),
    avgDurationMs: Math.round(row.avg_ms),
  }));
  const buckets = everyMinute(perMinute, now, windowHours);
  const attempts = buckets.reduce((sum, b) => sum + b.succeeded + b.failed, 0);
  const succeeded = buckets.reduce((sum, b) => sum + b.succeeded, 0);
  return {
    windowHours,
    perMinute: buckets,
    attempts,
    successRate: attempts === 0 ? null : succeeded / attempts,
    backlog,
    queue,
    slowestEndpoints: [...figures].sort((a, b) => b.avgDurationMs - a.avgDurationMs).slice(0, 5),
    mostFailingEndpoints: figures
      .filter((f) => f.failures > 0)
      .sort((a, b) => b.failures - a.failures)
      .slice(0, 5),
  };
}
