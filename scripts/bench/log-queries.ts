// Scenario 5: the delivery log at scale. Seeds attempts (1,000,000 unless
// --log-attempts says otherwise) across 100 endpoints over the last 30 days
// in SQL, into the day partitions (ids shaped and ordered like the real
// ones: a prefix and a ULID whose first 10 characters are the creation
// time). The worker's maintenance adds up the attempts per hour, as it
// would have by then; then the dashboard's own data functions are timed
// (the endpoint log under each of its filters, the endpoints overview, a
// delivery's detail) with the plans of the SQL they send; then the
// retention's drop of the oldest day (lib/retention/) with the log's size
// before and after; last the log's size over simulated days with
// retention on.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";
import { getDeliveryDetail, listEndpointDeliveries } from "../../lib/dashboard/deliveries";
import { listEndpointOverviews } from "../../lib/dashboard/endpoints";
import { logFilterSchema } from "../../lib/dashboard/log-filter";
import { createMainPool } from "../../lib/platform/db";
import { idAt } from "../../lib/platform/ids";
import { encodeCursor } from "../../lib/platform/pagination";
import { rollUpAttemptHours } from "../../lib/deliveries/attempt-hours";
import { runMaintenance } from "../../lib/retention/maintenance";
import { createPartitions, DAY_MS, listLogDays, LOG_TABLES } from "../../lib/retention/partitions";

/**
 * For 1,000,000 attempts, 800,000 events with one delivery each; every
 * fourth delivery needed a retry. 65% of it goes to one endpoint, so that
 * its log is more than 500,000 rows deep; the other 99 share the rest.
 * The events are spread evenly over the last SEED_DAYS days.
 */
export function seedPlan(attempts = 1_000_000) {
  return { deliveries: Math.round(attempts / 1.25), attempts, endpoints: 100, hotShare: 0.65 };
}
export type SeedPlan = ReturnType<typeof seedPlan>;
const SEED_DAYS = 30;
const PAGE = 50;

const SEED_SQL = `
CREATE OR REPLACE FUNCTION bench_b32(value bigint, len int) RETURNS text AS $$
DECLARE
  alphabet constant text := '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  out text := '';
BEGIN
  FOR i IN 1..len LOOP
    out := substr(alphabet, (value % 32)::int + 1, 1) || out;
    value := value / 32;
  END LOOP;
  RETURN out;
END $$ LANGUAGE plpgsql IMMUTABLE STRICT;

-- A ULID for instant ts; seq stands in for the random part, so ids are unique and time-ordered.
CREATE OR REPLACE FUNCTION bench_ulid(ts timestamptz, seq bigint) RETURNS text AS $$
  SELECT bench_b32(floor(extract(epoch FROM ts) * 1000)::bigint, 10) || bench_b32(seq, 16)
$$ LANGUAGE sql IMMUTABLE STRICT;
`;

/** Seeds the log app; returns its id and the hot endpoint's id (60% of the attempts). */
export async function seedLog(
  pool: pg.Pool,
  seed: SeedPlan,
): Promise<{ appId: string; hotEndpointId: string; seconds: number }> {
  const started = performance.now();
  const client = await pool.connect();
  try {
    await client.query(SEED_SQL);
    // Each row goes to the partition of its day: the days seeded, made as the worker makes them.
    await createPartitions(client, new Date(Date.now() - (SEED_DAYS + 1) * DAY_MS), new Date());
    await client.query("BEGIN");
    await client.query(`INSERT INTO apps (id, name, uid) VALUES ('app_benchlog', 'bench log', 'bench-log')`);
    await client.query(
      `INSERT INTO endpoints (id, app_id, url, event_types, secret, updated_at)
       SELECT 'ep_' || bench_ulid(now() - interval '40 days', i), 'app_benchlog',
              'http://127.0.0.1:9/log/' || i, '{}', 'whsec_' || encode(sha256(i::text::bytea), 'base64'), now()
       FROM generate_series(0, $1 - 1) AS i`,
      [seed.endpoints],
    );
    const now = Date.now();
    await seedSpan(client, seed, { from: new Date(now - SEED_DAYS * DAY_MS), to: new Date(now), firstIndex: 0 });
    await client.query("COMMIT");
    // A log this old would have been vacuumed (PostgreSQL vacuums insert-only
    // tables too): without it, index-only scans still read every row's page.
    await client.query("VACUUM (ANALYZE) apps, endpoints, events, deliveries, attempts");
    const hot = await client.query<{ endpoint_id: string }>(
      `SELECT endpoint_id FROM attempts GROUP BY endpoint_id ORDER BY count(*) DESC LIMIT 1`,
    );
    return {
      appId: "app_benchlog",
      hotEndpointId: hot.rows[0]!.endpoint_id,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}

/**
 * The log's traffic from `from` to `to`, at the seed's rate: its events
 * evenly spaced, event i (and its one delivery) after event i-1, a retry
 * 1 s after its first attempt. Event numbers start at `firstIndex`, so
 * that spans seeded one after another have distinct ids. Returns the next
 * span's first index.
 */
async function seedSpan(
  client: pg.PoolClient,
  seed: SeedPlan,
  span: { from: Date; to: Date; firstIndex: number },
): Promise<number> {
  const stepMs = (SEED_DAYS * DAY_MS) / seed.deliveries;
  const count = Math.round((span.to.getTime() - span.from.getTime()) / stepMs);
  await client.query("DROP TABLE IF EXISTS seed_deliveries");
  await client.query(
    `CREATE TEMP TABLE seed_deliveries AS
     SELECT i, ts, bench_ulid(ts, i) AS ulid, retried, endpoint_id FROM (
     SELECT i, $5::timestamptz + (i - $1) * ($4 * interval '1 millisecond') AS ts, i % 4 = 0 AS retried,
            (SELECT array_agg(id ORDER BY id) FROM endpoints WHERE app_id = 'app_benchlog')
              [CASE WHEN i % 20 < $2 THEN 1 ELSE 2 + i % ($3 - 1) END] AS endpoint_id
     FROM generate_series($1::bigint, $1::bigint + $6 - 1) AS i) s`,
    [span.firstIndex, Math.round(seed.hotShare * 20), seed.endpoints, stepMs, span.from, count],
  );
  await client.query(
    `INSERT INTO events (id, app_id, event_type, payload, created_at)
     SELECT 'msg_' || ulid, 'app_benchlog', CASE WHEN i % 2 = 0 THEN 'invoice.paid' ELSE 'invoice.created' END,
            jsonb_build_object('n', i)::text, ts
     FROM seed_deliveries`,
  );
  await client.query(
    `INSERT INTO deliveries (id, app_id, event_id, endpoint_id, status, attempt_count, scheduled_attempts,
                             first_attempt_at, last_attempt_at, last_status_code, created_at)
     SELECT 'dlv_' || ulid, 'app_benchlog', 'msg_' || ulid, endpoint_id,
            (CASE WHEN i % 40 = 0 THEN 'failed' ELSE 'succeeded' END)::delivery_status,
            CASE WHEN retried THEN 2 ELSE 1 END, CASE WHEN retried THEN 2 ELSE 1 END,
            ts, ts + CASE WHEN retried THEN interval '1 second' ELSE interval '0' END,
            CASE WHEN i % 40 = 0 THEN 500 ELSE 200 END, ts
     FROM seed_deliveries`,
  );
  await client.query(
    `INSERT INTO attempts (id, delivery_id, endpoint_id, trigger, response_status_code, response_body,
                           duration_ms, succeeded, request_headers, created_at)
     SELECT 'atm_' || bench_ulid(d.ts + j * interval '1 second', d.i * 2 + j), 'dlv_' || d.ulid,
            d.endpoint_id, 'scheduled', code, CASE WHEN code = 200 THEN 'ok' ELSE 'upstream error' END,
            20 + (d.i + j) % 180, code = 200,
            jsonb_build_object('content-type', 'application/json', 'user-agent', 'Hookpost/0.1.0',
              'webhook-id', 'msg_' || d.ulid,
              'webhook-timestamp', floor(extract(epoch FROM d.ts))::text,
              'webhook-signature', 'v1,' || encode(sha256((d.i * 2 + j)::text::bytea), 'base64')),
            d.ts + j * interval '1 second'
     FROM seed_deliveries d
     CROSS JOIN LATERAL generate_series(0, CASE WHEN d.retried THEN 1 ELSE 0 END) AS j
     CROSS JOIN LATERAL (SELECT CASE WHEN NOT d.retried THEN 200
                                     WHEN j = 0 THEN CASE WHEN d.i % 8 = 0 THEN 503 ELSE 500 END
                                     WHEN d.i % 40 = 0 THEN 500 ELSE 200 END AS code) c`,
  );
  return span.firstIndex + count;
}

export interface TimedQuery {
  name: string;
  ms: number;
  rows: number;
  seqScanOnLog: boolean;
  plan: string;
}

/** The median time of `runs` calls of each function, after one call each to warm up, the calls taken in turn. */
async function medianTimes(calls: Array<() => Promise<unknown>>, runs = 5): Promise<number[]> {
  for (const call of calls) await call();
  const times = calls.map((): number[] => []);
  for (let run = 0; run < runs; run++) {
    for (const [index, call] of calls.entries()) {
      const started = performance.now();
      await call();
      times[index]!.push(performance.now() - started);
    }
  }
  return times.map((each) => each.sort((a, b) => a - b)[Math.floor(each.length / 2)]!);
}

/** Times one of the dashboard's own data functions, and explains the SQL it sent. */
async function timedDashboard(pool: pg.Pool, name: string, call: () => Promise<unknown>): Promise<TimedQuery> {
  const [ms] = await medianTimes([call]);
  return explained(pool, name, call, ms!);
}

/**
 * A first page and the same page deep through the cursor, timed in turn:
 * whatever else the machine does meanwhile falls on both, so their ratio
 * is the query's, not the moment's.
 */
async function timedPair(
  pool: pg.Pool,
  names: [string, string],
  calls: [() => Promise<unknown>, () => Promise<unknown>],
): Promise<TimedQuery[]> {
  const [firstMs, deepMs] = await medianTimes(calls);
  return [await explained(pool, names[0], calls[0], firstMs!), await explained(pool, names[1], calls[1], deepMs!)];
}

/**
 * The tables and partitions of the log a plan reads whole that hold rows.
 * A partition of a day ahead is empty until its day comes, and PostgreSQL
 * rightly scans an empty table rather than its index: that reads nothing.
 */
export async function seqScannedLogTables(pool: pg.Pool, plan: string): Promise<string[]> {
  const scanned = [...plan.matchAll(/Seq Scan on ((?:attempts|deliveries|events)\w*)/g)].map((match) => match[1]!);
  if (scanned.length === 0) return [];
  const { rows } = await pool.query<{ name: string }>(
    "SELECT name FROM unnest($1::text[]) AS name WHERE pg_relation_size(name::regclass) > 0",
    [[...new Set(scanned)]],
  );
  return rows.map((row) => row.name);
}

/**
 * EXPLAIN ANALYZEs every SELECT a dashboard function sent (captured at the
 * driver, with the SETs it made before them), so the plans are those of
 * the real queries.
 */
export async function explained(
  pool: pg.Pool,
  name: string,
  call: () => Promise<unknown>,
  ms: number,
): Promise<TimedQuery> {
  const sent: Array<{ text: string; values: unknown[] }> = [];
  // Wrapped for one call only, then restored; `this` is passed on unchanged.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string; values?: unknown[] };
    if (typeof first === "string") sent.push({ text: first, values: (args[1] as unknown[] | undefined) ?? [] });
    else sent.push({ text: first.text ?? "", values: first.values ?? (args[1] as unknown[] | undefined) ?? [] });
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    await call();
  } finally {
    pg.Client.prototype.query = original;
  }
  // Replayed in one transaction with the settings the function made
  // (SET LOCAL), so that each plan is the one the function got.
  const plans: string[] = [];
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    for (const statement of sent) {
      if (/^\s*SET\b/i.test(statement.text)) await client.query(statement.text, statement.values);
      if (!/^\s*SELECT/i.test(statement.text)) continue;
      const explained = await client.query<{ "QUERY PLAN": string }>(
        `EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`,
        statement.values,
      );
      plans.push(`-- ${statement.text}\n${explained.rows.map((row) => row["QUERY PLAN"]).join("\n")}`);
    }
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
  const plan = plans.join("\n\n");
  return {
    name,
    ms,
    rows: sent.length,
    seqScanOnLog: (await seqScannedLogTables(pool, plan)).length > 0,
    plan,
  };
}

export interface LogResults {
  seed: SeedPlan & { seconds: number; hotEndpointAttempts: number };
  /** The maintenance's first adding up of attempts per hour (48 hours of them), as the worker runs it. */
  rollUpMs: number;
  source: string;
  queries: TimedQuery[];
  firstPageMs: number;
  deepPageMs: number;
  deepOverFirst: number;
  worstFirstPageMs: number;
  worstDeepOverFirst: number;
  anySeqScanOnLog: boolean;
}

export async function runLogQueries(pool: pg.Pool, databaseUrl: string, seed: SeedPlan): Promise<LogResults> {
  const seeded = await seedLog(pool, seed);
  const { hotEndpointId, appId } = seeded;
  // The hours the worker's maintenance would have added up by now (it runs
  // every 15 minutes). The seed was written into hours a worker of the
  // stack may have added up already, so all are added up again.
  const rollUpStarted = performance.now();
  const client = await pool.connect();
  try {
    await client.query("TRUNCATE attempt_hours, attempt_hours_rolled");
    await rollUpAttemptHours(client, new Date());
  } finally {
    client.release();
  }
  const rollUpMs = performance.now() - rollUpStarted;
  const hotCount = await pool.query<{ count: string }>(`SELECT count(*) FROM attempts WHERE endpoint_id = $1`, [
    hotEndpointId,
  ]);
  const deepDelivery = await pool.query<{ id: string }>(
    `SELECT id FROM deliveries WHERE endpoint_id = $1 ORDER BY id DESC OFFSET 500000 LIMIT 1`,
    [hotEndpointId],
  );
  const deliveryCursor = deepDelivery.rows[0]!.id;
  const sampleEventId = deliveryCursor.replace(/^dlv_/, "msg_");
  const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
  const queries: TimedQuery[] = [];
  // The dashboard's own functions (lib/dashboard): the endpoint log is of
  // deliveries. Called, and their SQL explained, on a pool made as the web
  // process makes its own (lib/platform/db.ts), so with its session settings.
  const webPool = createMainPool(databaseUrl);
  const db = new PrismaClient({ adapter: new PrismaPg(webPool, { disposeExternalPool: true }) });
  try {
    // Every filter the endpoint log offers, including ones that match nothing
    // in the seed (4xx, timeout, connection, pending): those read the most.
    const dashboardFilters: Array<[string, Record<string, string>]> = [
      ["all", {}],
      ["oldest first", { sort: "asc" }],
      ["status succeeded", { status: "succeeded" }],
      ["status failed", { status: "failed" }],
      ["status pending", { status: "pending" }],
      ["code 2xx", { code: "2xx" }],
      ["code 4xx", { code: "4xx" }],
      ["code 5xx", { code: "5xx" }],
      ["code 503", { code: "503" }],
      ["code timeout", { code: "timeout" }],
      ["code connection", { code: "connection" }],
      ["event type", { eventType: "invoice.paid" }],
      ["one day", { from: daysAgo(10).toISOString(), to: daysAgo(9).toISOString() }],
      ["event id", { q: sampleEventId }],
    ];
    for (const [label, raw] of dashboardFilters) {
      const filter = logFilterSchema.parse({ ...raw, limit: PAGE });
      const deepFilter = { ...filter, cursor: encodeCursor(deliveryCursor) };
      queries.push(
        ...(await timedPair(
          webPool,
          [`dashboard log, first page, ${label}`, `dashboard log, 500k deep, ${label}`],
          [
            () => listEndpointDeliveries(db, appId, hotEndpointId, filter),
            () => listEndpointDeliveries(db, appId, hotEndpointId, deepFilter),
          ],
        )),
      );
    }
    queries.push(await timedDashboard(webPool, "dashboard endpoints overview", () => listEndpointOverviews(db, appId)));
    queries.push(
      await timedDashboard(webPool, "dashboard delivery detail (with its attempts)", () =>
        getDeliveryDetail(db, appId, deliveryCursor),
      ),
    );
  } finally {
    await db.$disconnect();
  }
  const first = queries.find((query) => query.name === "dashboard log, first page, all")!;
  const deep = queries.find((query) => query.name === "dashboard log, 500k deep, all")!;
  const firstPages = queries.filter((query) => query.name.includes("first page"));
  const ratios = queries
    .filter((query) => query.name.includes("deep"))
    .map((query) => {
      const firstName = query.name.replace(/\d+k deep/, "first page");
      return query.ms / queries.find((other) => other.name === firstName)!.ms;
    });
  return {
    seed: { ...seed, seconds: seeded.seconds, hotEndpointAttempts: Number(hotCount.rows[0]!.count) },
    rollUpMs,
    source:
      "lib/dashboard functions timed as called: the endpoint log with each filter, the endpoints overview, a delivery's detail",
    queries,
    firstPageMs: first.ms,
    deepPageMs: deep.ms,
    deepOverFirst: deep.ms / first.ms,
    worstFirstPageMs: Math.max(...firstPages.map((query) => query.ms)),
    worstDeepOverFirst: Math.max(...ratios),
    anySeqScanOnLog: queries.some((query) => query.seqScanOnLog),
  };
}

/** The log's tables: rows, bytes (heap, indexes and TOAST of every partition) and dead rows. */
async function logSizes(pool: pg.Pool) {
  const sizes: Record<string, { rows: number; bytes: number; deadRows: number }> = {};
  for (const table of LOG_TABLES) {
    const { rows } = await pool.query<{ rows: string; bytes: string; dead: string }>(
      `SELECT coalesce(sum(s.n_live_tup), 0) AS rows, coalesce(sum(pg_total_relation_size(t.relid)), 0) AS bytes,
              coalesce(sum(s.n_dead_tup), 0) AS dead
       FROM pg_partition_tree($1::regclass) t LEFT JOIN pg_stat_user_tables s ON s.relid = t.relid
       WHERE t.isleaf`,
      [table],
    );
    sizes[table] = { rows: Number(rows[0]!.rows), bytes: Number(rows[0]!.bytes), deadRows: Number(rows[0]!.dead) };
  }
  return sizes;
}

export interface DropResults {
  /** The days dropped, and the attempts they held. */
  days: string[];
  attempts: number;
  ms: number;
  /** The RETENTION the drop ran with. */
  retentionMs: number;
  before: Awaited<ReturnType<typeof logSizes>>;
  after: Awaited<ReturnType<typeof logSizes>>;
}

/**
 * Retention over the seeded log: RETENTION set so that the oldest full day
 * of the seed is past it, then one maintenance run timed, as the worker
 * runs it. The days before that one are dropped with it (the day the seed
 * starts in, and the empty one before). The sizes are read after an
 * ANALYZE, before and after: a drop removes files, so the rows left and
 * their dead rows do not change.
 */
export async function measureDayDrop(pool: pg.Pool): Promise<DropResults> {
  const { rows: oldest } = await pool.query<{ id: string }>("SELECT min(id) AS id FROM attempts");
  const days = await listLogDays(pool);
  const first = days.findIndex((day) => idAt("attempt", day.end, "start") > oldest[0]!.id);
  const target = days[first + 1];
  if (first < 0 || !target) throw new Error("the seeded log spans fewer than two days: nothing to drop");
  const { rows: dropping } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM attempts WHERE id < $1", [
    idAt("attempt", target.end, "start"),
  ]);
  await pool.query("ANALYZE events, deliveries, attempts");
  const before = await logSizes(pool);
  const now = new Date();
  const started = performance.now();
  const retentionMs = now.getTime() - target.end.getTime();
  const result = await runMaintenance(pool, { retentionMs, now });
  const ms = performance.now() - started;
  await pool.query("ANALYZE events, deliveries, attempts");
  const after = await logSizes(pool);
  return { days: result.dropped, attempts: Number(dropping[0]!.n), ms, before, after, retentionMs };
}

export interface RetentionSoakResults {
  /** The log's size after each simulated day: a day's traffic written, then the maintenance run. */
  days: Array<{ day: number; bytes: number; rows: number; dropped: string[] }>;
  /** (largest - smallest) / smallest over those days. */
  spread: number;
}

/**
 * Retention held over `days` simulated days after the drop: each day the
 * seed's daily traffic is written into the next day, then the maintenance
 * runs as of the end of that day with the same RETENTION, dropping the day
 * that has passed out of it. With a day in and a day out, the log's size
 * stays flat: a drop frees its files whole, and nothing is left to vacuum.
 */
export async function measureRetentionSoak(
  pool: pg.Pool,
  seed: SeedPlan,
  retentionMs: number,
  days = 5,
): Promise<RetentionSoakResults> {
  const results: RetentionSoakResults["days"] = [];
  const client = await pool.connect();
  let next = seed.deliveries;
  const start = Date.now();
  try {
    for (let day = 1; day <= days; day++) {
      const from = new Date(start + (day - 1) * DAY_MS);
      const to = new Date(start + day * DAY_MS);
      await createPartitions(client, from, to);
      next = await seedSpan(client, seed, { from, to, firstIndex: next });
      const { dropped } = await runMaintenance(pool, { retentionMs, now: to });
      await client.query("ANALYZE events, deliveries, attempts");
      const sizes = await logSizes(pool);
      const sum = (pick: (table: (typeof sizes)[string]) => number) =>
        Object.values(sizes).reduce((total, table) => total + pick(table), 0);
      results.push({ day, bytes: sum((table) => table.bytes), rows: sum((table) => table.rows), dropped });
    }
  } finally {
    client.release();
  }
  const bytes = results.map((result) => result.bytes);
  return { days: results, spread: (Math.max(...bytes) - Math.min(...bytes)) / Math.min(...bytes) };
}
