// The migration to the partitioned log (prisma/migrations/20261206000100_partitioned_log)
// on a database of the layout before it: migrated up to the migration before,
// seeded with rows over several days, then migrated. No row is lost or
// changed, each is in its day's partition, idempotency keys still answer,
// and Prisma reads the partitioned tables.
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";
import { decodeTime } from "ulidx";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestEvents } from "../../lib/events/events";
import { newId } from "../../lib/platform/ids";
import { dropDatabase, ensureDatabase, migrate, run } from "../../scripts/services";
import { POSTGRES_URL, uniqueName } from "../support/services";

const PARTITIONING = "20261206000100_partitioned_log";
const DAY_MS = 86_400_000;
const LOG_TABLES = ["events", "deliveries", "attempts"] as const;

let databaseUrl: string;
let pool: pg.Pool;
let before: Record<string, unknown[]>;
const keyedEvents: Array<{ appId: string; key: string; eventId: string }> = [];

/** Applies the project's migrations that come before `last` (excluded), as `prisma migrate deploy` does. */
async function migrateBefore(url: string, last: string) {
  const folder = mkdtempSync(join(tmpdir(), "hookpost-migrations-"));
  try {
    cpSync("prisma/schema.prisma", join(folder, "schema.prisma"));
    for (const entry of readdirSync("prisma/migrations")) {
      if (entry >= last && entry !== "migration_lock.toml") continue;
      cpSync(join("prisma/migrations", entry), join(folder, "migrations", entry), { recursive: true });
    }
    await run(
      "node_modules/.bin/prisma",
      ["migrate", "deploy", "--schema", join(folder, "schema.prisma")],
      { DATABASE_URL: url },
      true,
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function snapshot(): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for (const table of LOG_TABLES) {
    const { rows } = await pool.query<{ row: unknown }>(`SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY id`);
    tables[table] = rows.map((row) => row.row);
  }
  return tables;
}

/** Rows over the last six days, in the layout before partitioning (ids made as the app made them then). */
async function seedPreviousLayout() {
  const now = Date.now();
  await pool.query(`INSERT INTO apps (id, name) VALUES ('app_migration', 'migration')`);
  await pool.query(
    `INSERT INTO endpoints (id, app_id, url, event_types, secret, updated_at)
     VALUES ($1, 'app_migration', 'http://127.0.0.1:9/a', '{}', 'sealed', now()),
            ($2, 'app_migration', 'http://127.0.0.1:9/b', '{}', 'sealed', now())`,
    [newId("endpoint"), newId("endpoint")],
  );
  const endpoints = (await pool.query<{ id: string }>("SELECT id FROM endpoints ORDER BY id")).rows.map((r) => r.id);
  for (let day = 5; day >= 0; day--) {
    for (let n = 0; n < 4; n++) {
      // Spread over the day, the last ones of today a minute ago.
      const at = new Date(now - day * DAY_MS - (n + 1) * 60_000 - (day > 0 ? n * 3 * 3_600_000 : 0));
      const eventId = newId("event", at);
      const key = n % 2 === 0 ? `key-${day}-${n}` : null;
      if (key) keyedEvents.push({ appId: "app_migration", key, eventId });
      await pool.query(
        `INSERT INTO events (id, app_id, event_type, payload, external_id, idempotency_key, created_at)
         VALUES ($1, 'app_migration', 'invoice.paid', $2, $3, $4, $5)`,
        [eventId, `{"day": ${day}, "n": ${n}, "big": 12345678901234567890}`, `ext-${day}-${n}`, key, at],
      );
      for (const [index, endpointId] of endpoints.entries()) {
        const deliveryId = newId("delivery", new Date(at.getTime() + 1));
        const status = day === 0 && index === 0 ? "pending" : n === 3 ? "failed" : "succeeded";
        await pool.query(
          `INSERT INTO deliveries (id, app_id, event_id, endpoint_id, status, attempt_count, scheduled_attempts,
                                   next_attempt_at, next_attempt_job, first_attempt_at, last_attempt_at,
                                   last_status_code, held_since, failure_reason, created_at)
           VALUES ($1, 'app_migration', $2, $3, $4::delivery_status, 2, 2,
                   CASE WHEN $4::delivery_status = 'pending' THEN $5::timestamptz + interval '1 hour' END,
                   NULL, $5, $5::timestamptz + interval '1 hour', CASE WHEN $4::delivery_status = 'failed' THEN 503 ELSE 200 END,
                   CASE WHEN $6 THEN $5::timestamptz END,
                   CASE WHEN $4::delivery_status = 'failed' THEN 'expired' END, $5)`,
          [deliveryId, eventId, endpointId, status, at, status === "pending" && n === 1],
        );
        // Two attempts, the second an hour later (on the next day for the last events of a day).
        for (const [attempt, offset] of [0, 3_600_000].entries()) {
          const attemptAt = new Date(at.getTime() + offset);
          await pool.query(
            `INSERT INTO attempts (id, delivery_id, endpoint_id, trigger, triggered_by, response_status_code,
                                   response_body, error, error_detail, duration_ms, succeeded, request_headers, created_at)
             VALUES ($1, $2, $3, $4::attempt_trigger, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
            [
              newId("attempt", attemptAt),
              deliveryId,
              endpointId,
              attempt === 0 ? "scheduled" : "manual",
              attempt === 0 ? null : "ops@example.com",
              attempt === 0 ? null : 200,
              attempt === 0 ? null : "ok",
              attempt === 0 ? "timeout" : null,
              attempt === 0 ? "no answer in 15s" : null,
              15 + attempt,
              attempt === 1,
              JSON.stringify({ "webhook-id": eventId, "content-type": "application/json" }),
              attemptAt,
            ],
          );
        }
      }
    }
  }
}

beforeAll(async () => {
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${uniqueName("hookpost_migration")}`;
  databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  await migrateBefore(databaseUrl, PARTITIONING);
  pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  // An idle connection the server drops would otherwise end the test process
  // through the pool's "error" event; a query on a dropped one still fails its test.
  pool.on("error", () => {});
  await seedPreviousLayout();
  before = await snapshot();
  await migrate(databaseUrl, { quiet: true });
});

afterAll(async () => {
  await pool?.end();
  if (databaseUrl) await dropDatabase(databaseUrl);
});

describe("the migration to the partitioned log", () => {
  it("started from the previous layout: plain tables, rows over six days", () => {
    expect(before.events).toHaveLength(24);
    expect(before.deliveries).toHaveLength(48);
    expect(before.attempts).toHaveLength(96);
  });

  it("keeps every row of events, deliveries and attempts, unchanged", async () => {
    const after = await snapshot();
    for (const table of LOG_TABLES) {
      // Columns later migrations add are new: the rows are compared on the columns they had.
      const columns = Object.keys(before[table]![0] as object);
      const kept = after[table]!.map((row) =>
        Object.fromEntries(columns.map((column) => [column, (row as Record<string, unknown>)[column]])),
      );
      expect(kept, table).toEqual(before[table]);
    }
  });

  it("puts each row in the partition of its id's day, in tables partitioned by id", async () => {
    for (const table of LOG_TABLES) {
      const { rows: kind } = await pool.query<{ relkind: string }>("SELECT relkind FROM pg_class WHERE relname = $1", [
        table,
      ]);
      expect(kind[0]!.relkind).toBe("p");
      const { rows } = await pool.query<{ id: string; partition: string }>(
        `SELECT id, tableoid::regclass::text AS partition FROM ${table}`,
      );
      for (const row of rows) {
        const day = new Date(decodeTime(row.id.slice(row.id.indexOf("_") + 1))).toISOString().slice(0, 10);
        expect(row.partition).toBe(`${table}_p${day.replaceAll("-", "")}`);
      }
    }
  });

  it("keeps the idempotency keys: a key of today still names its event", async () => {
    const { rows } = await pool.query<{ app_id: string; key: string; event_id: string }>(
      "SELECT app_id, key, event_id FROM idempotency_keys ORDER BY event_id",
    );
    expect(rows.map((row) => ({ appId: row.app_id, key: row.key, eventId: row.event_id }))).toEqual(
      [...keyedEvents].sort((a, b) => (a.eventId < b.eventId ? -1 : 1)),
    );
    const recent = keyedEvents.find((keyed) => keyed.key.startsWith("key-0-"))!;
    const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
    try {
      const app = await db.app.findUniqueOrThrow({ where: { id: "app_migration" } });
      const [again] = await ingestEvents(pool, [
        { app, input: { eventType: "invoice.paid", payload: {} }, idempotencyKey: recent.key },
      ]);
      expect(again).toMatchObject({ created: false, event: { id: recent.eventId } });
    } finally {
      await db.$disconnect();
    }
  });

  it("serves Prisma's reads and writes through the partitioned tables", async () => {
    const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
    try {
      const deliveries = await db.delivery.findMany({
        where: { appId: "app_migration" },
        include: { event: true, attempts: { orderBy: { id: "asc" } } },
        orderBy: { id: "desc" },
      });
      expect(deliveries.length).toBeGreaterThanOrEqual(48);
      const seeded = deliveries.filter((delivery) =>
        (before.deliveries ?? []).some((row) => (row as { id: string }).id === delivery.id),
      );
      expect(seeded).toHaveLength(48);
      for (const delivery of seeded) {
        expect(delivery.event.id).toBe(delivery.eventId);
        expect(delivery.attempts).toHaveLength(2);
      }
      const updated = await db.delivery.update({ where: { id: seeded[0]!.id }, data: { lastStatusCode: 299 } });
      expect(updated.lastStatusCode).toBe(299);
    } finally {
      await db.$disconnect();
    }
  });
});
