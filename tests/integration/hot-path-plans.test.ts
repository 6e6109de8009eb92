// The hot path's statements on the pool made for them (lib/platform/db.ts): planned
// once per connection, and by key, even when the plan is made while the
// tables are nearly empty, as in a fresh install. A plan made then that
// scanned a table whole would be kept as the table grew.
// And the dashboard's log, over the day partitions of several days
// (lib/retention/): read along indexes, and, when the page has an id
// range, from the partitions of its days only.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../lib/apps/apps";
import { createHotPathPool } from "../../lib/platform/db";
import { loadDeliveries, postponeDeliveries, recordRoutines } from "../../lib/deliveries/attempt-store";
import { createEndpoint } from "../../lib/endpoints/endpoints";
import { ingestEvents } from "../../lib/events/events";
import { idAt, newId } from "../../lib/platform/ids";
import { listEndpointDeliveries } from "../../lib/dashboard/deliveries";
import { logFilterSchema } from "../../lib/dashboard/log-filter";
import { encodeCursor } from "../../lib/platform/pagination";
import { createPartitions, DAY_MS, startOfUtcDay } from "../../lib/retention/partitions";
import { explained, seqScannedLogTables } from "../../scripts/bench/log-queries";
import { createTestDatabase, type TestDatabase } from "../support/services";

let database: TestDatabase;
/** One connection, so that every statement below runs in the session that prepared them. */
let session: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  session = createHotPathPool(database.url, 1);
});
afterAll(async () => {
  await session?.end();
  await database?.drop();
});

const HOT_STATEMENTS = ["ingest-events", "load-deliveries", "postpone-deliveries", "record-attempts"];

/** Runs each hot statement three times on a database of a few rows. */
async function runHotStatements() {
  const app = await createApp(database.db, { name: "plans" });
  const endpoint = await createEndpoint(
    database.db,
    app.id,
    { url: "http://127.0.0.1:9/plans", description: "", eventTypes: [], rateLimit: null },
    { allowPrivate: true, allowedCidrs: [] },
  );
  for (let round = 0; round < 3; round++) {
    const [result] = await ingestEvents(session, [
      { app, input: { eventType: "thing.happened", payload: { round } }, idempotencyKey: undefined },
    ]);
    const deliveryId = result!.deliveryIds[0]!;
    const [loaded] = await loadDeliveries(session, [deliveryId]);
    expect(loaded?.endpointId).toBe(endpoint.id);
    // Refused by its endpoint's cap for a second, then sent.
    await postponeDeliveries(session, [{ deliveryId, delayMs: 1000 }]);
    await recordRoutines(session, [
      {
        attempt: {
          id: newId("attempt"),
          deliveryId,
          endpointId: endpoint.id,
          responseStatusCode: 200,
          responseBody: "ok",
          error: null,
          errorDetail: null,
          durationMs: 2,
          succeeded: true,
          requestHeaders: {},
          traceId: null,
          createdAt: new Date(),
        },
        attemptNumber: 1,
        outcome: "succeeded",
        next: undefined,
      },
    ]);
  }
}

describe("the hot-path pool", () => {
  beforeAll(runHotStatements);

  it("plans each hot statement once, generically, instead of on every call", async () => {
    const { rows } = await session.query<{ name: string; generic_plans: string; custom_plans: string }>(
      "SELECT name, generic_plans, custom_plans FROM pg_prepared_statements WHERE name = ANY($1) ORDER BY name",
      [HOT_STATEMENTS],
    );
    expect(rows.map((row) => [row.name, Number(row.generic_plans), Number(row.custom_plans)])).toEqual(
      HOT_STATEMENTS.map((name) => [name, 3, 0]),
    );
  });

  it.each(HOT_STATEMENTS)("plans %s on a nearly empty database to read every table by key", async (name) => {
    const { rows: prepared } = await session.query<{ parameters: number }>(
      "SELECT cardinality(parameter_types) AS parameters FROM pg_prepared_statements WHERE name = $1",
      [name],
    );
    // Explained, not run, so no argument is needed: the generic plan is the same for any.
    const nulls = Array.from({ length: prepared[0]!.parameters }, () => "NULL").join(", ");
    const { rows } = await session.query<{ "QUERY PLAN": string }>(`EXPLAIN EXECUTE "${name}"(${nulls})`);
    const plan = rows.map((row) => row["QUERY PLAN"]).join("\n");
    expect(plan).toMatch(/Index (Only )?Scan/);
    expect(plan).not.toMatch(/Seq Scan|Hash Join|Merge Join|Materialize/);
    // By key: an index of the log's tables read from end to end would grow with them.
    const lines = plan.split("\n");
    const wholeIndexReads = lines.filter(
      (line, index) =>
        /Index (Only )?Scan.* on (events|deliveries|attempts)_/.test(line) &&
        !/Index Cond/.test(lines[index + 1] ?? ""),
    );
    expect(wholeIndexReads).toEqual([]);
  });
});

describe("the dashboard's log over day partitions", () => {
  const DAYS = 4;
  let planner: pg.Pool;
  let appId: string;
  let endpointId: string;
  const dayName = (daysAgo: number) =>
    new Date(startOfUtcDay(new Date()).getTime() - daysAgo * DAY_MS).toISOString().slice(0, 10).replaceAll("-", "");

  /** 1,500 deliveries a day for the last four days over 10 endpoints, every third failed once with a 503 first. */
  beforeAll(async () => {
    planner = new pg.Pool({ connectionString: database.url, max: 1, options: "-c enable_seqscan=off" });
    const app = await createApp(database.db, { name: "log plans" });
    appId = app.id;
    for (let n = 0; n < 10; n++) {
      await createEndpoint(
        database.db,
        app.id,
        { url: `http://127.0.0.1:9/log/${n}`, description: "", eventTypes: [], rateLimit: null },
        { allowPrivate: true, allowedCidrs: [] },
      );
    }
    const today = startOfUtcDay(new Date());
    await createPartitions(database.pool, new Date(today.getTime() - (DAYS - 1) * DAY_MS), today);
    await database.pool.query(
      `CREATE TEMP TABLE seed AS
       SELECT i, ts, hookpost_ulid_time(ts) || lpad(i::text, 16, '0') AS ulid, i % 3 = 0 AS retried,
              (SELECT array_agg(id ORDER BY id) FROM endpoints WHERE app_id = $1)[1 + i % 10] AS endpoint_id
       FROM (SELECT i, date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                       - ($2 - 1) * interval '1 day' + (i % 1500) * interval '50 seconds' + (i / 1500) * interval '1 day' AS ts
             FROM generate_series(0, $2 * 1500 - 1) AS i) s
       WHERE ts < now()`,
      [appId, DAYS],
    );
    await database.pool.query(
      `INSERT INTO events (id, app_id, event_type, payload, created_at)
       SELECT 'msg_' || ulid, $1, 'invoice.paid', '{}', ts FROM seed`,
      [appId],
    );
    await database.pool.query(
      `INSERT INTO deliveries (id, app_id, event_id, endpoint_id, status, attempt_count, scheduled_attempts,
                               last_status_code, created_at)
       SELECT 'dlv_' || ulid, $1, 'msg_' || ulid, endpoint_id, 'succeeded', 1 + retried::int, 1 + retried::int, 200, ts
       FROM seed`,
      [appId],
    );
    await database.pool.query(
      `INSERT INTO attempts (id, delivery_id, endpoint_id, trigger, response_status_code, duration_ms, succeeded,
                             request_headers, created_at)
       SELECT 'atm_' || hookpost_ulid_time(ts + j * interval '1 second') || lpad((i * 2 + j)::text, 16, '0'),
              'dlv_' || ulid, endpoint_id, 'scheduled', CASE WHEN retried AND j = 0 THEN 503 ELSE 200 END, 5,
              NOT (retried AND j = 0), '{}', ts + j * interval '1 second'
       FROM seed CROSS JOIN LATERAL generate_series(0, retried::int) AS j`,
    );
    await database.pool.query("VACUUM (ANALYZE) events, deliveries, attempts");
    const busiest = await database.pool.query<{ endpoint_id: string }>(
      "SELECT endpoint_id FROM deliveries WHERE app_id = $1 GROUP BY endpoint_id ORDER BY count(*) DESC LIMIT 1",
      [appId],
    );
    endpointId = busiest.rows[0]!.endpoint_id;
  });

  /**
   * The plans of the statements one page of the log sends, and the
   * partitions of each table they read. Planned with sequential scans
   * priced out: a day of a few thousand rows is cheaper to read whole than
   * along an index, a day of a real log is not (the benchmark's log
   * scenario plans them as they come, over millions of rows). What is
   * still read whole then has no index that serves the query.
   */
  async function pagePlan(raw: Record<string, string>) {
    const filter = logFilterSchema.parse({ ...raw, limit: 50 });
    const call = () => listEndpointDeliveries(database.db, appId, endpointId, filter);
    const { plan } = await explained(planner, JSON.stringify(raw), call, 0);
    const days = (table: string) =>
      new Set([...plan.matchAll(new RegExp(`${table}_p(\\d{8})`, "g"))].map((match) => match[1]!));
    return { plan, days, page: await call() };
  }

  afterAll(async () => {
    await planner?.end();
  });

  const middle = () => dayName(2);

  it.each([
    ["the first page", {}],
    ["oldest first", { sort: "asc" }],
    ["failed deliveries", { status: "failed" }],
    ["503s", { code: "503" }],
    ["5xx", { code: "5xx" }],
    ["2xx", { code: "2xx" }],
  ])("reads %s along indexes, never a partition with rows whole", async (_name, raw) => {
    const { plan, page } = await pagePlan(raw);
    expect(plan).toMatch(/Index (Only )?Scan/);
    expect(await seqScannedLogTables(database.pool, plan)).toEqual([]);
    if (!("status" in raw)) expect(page.data.length).toBeGreaterThan(0);
  });

  it("reads a deep page from the partitions at or below its cursor only", async () => {
    // Noon two days ago: the page holds that morning and the day before.
    const cursor = idAt("delivery", new Date(startOfUtcDay(new Date()).getTime() - 2 * DAY_MS + DAY_MS / 2), "start");
    const { plan, days, page } = await pagePlan({ cursor: encodeCursor(cursor) });
    expect(page.data[0]!.id < cursor).toBe(true);
    expect(await seqScannedLogTables(database.pool, plan)).toEqual([]);
    expect([...days("deliveries")].sort()).toEqual([dayName(3), dayName(2)]);
  });

  it("reads a day's page from that day's partitions only", async () => {
    const from = new Date(startOfUtcDay(new Date()).getTime() - 2 * DAY_MS);
    const to = new Date(from.getTime() + DAY_MS - 1);
    for (const raw of [{}, { code: "503" }] as Array<Record<string, string>>) {
      const { plan, days, page } = await pagePlan({ ...raw, from: from.toISOString(), to: to.toISOString() });
      expect(page.data.length).toBeGreaterThan(0);
      expect(await seqScannedLogTables(database.pool, plan)).toEqual([]);
      if ("code" in raw) {
        // Attempts come after their delivery: the days before are skipped, the later ones may hold its retries.
        expect([...days("attempts")].sort()[0]).toBe(middle());
      } else {
        expect([...days("deliveries")]).toEqual([middle()]);
      }
    }
  });
});
