// The delivery log's day partitions (lib/retention/): created ahead, whole
// days past RETENTION dropped, a day with a pending delivery kept, one
// maintenance run at a time, expired idempotency keys removed.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../lib/apps/apps";
import { createEndpoint } from "../../lib/endpoints/endpoints";
import { ingestEvents } from "../../lib/events/events";
import { newId } from "../../lib/platform/ids";
import { runMaintenance } from "../../lib/retention/maintenance";
import { createPartitions, DAY_MS, DAYS_AHEAD, listLogDays, startOfUtcDay } from "../../lib/retention/partitions";
import { createTestDatabase, type TestDatabase } from "../support/services";

const RETENTION_MS = 30 * DAY_MS;

let database: TestDatabase;
let appId: string;
let endpointId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const app = await createApp(database.db, { name: "retention" });
  appId = app.id;
  const endpoint = await createEndpoint(
    database.db,
    app.id,
    { url: "http://127.0.0.1:9/retention", description: "", eventTypes: [], rateLimit: null },
    { allowPrivate: true, allowedCidrs: [] },
  );
  endpointId = endpoint.id;
});
afterAll(async () => {
  await database?.drop();
});

/** YYYYMMDD of the UTC day `at` falls in, as in the partitions' names. */
function dayName(at: Date): string {
  return at.toISOString().slice(0, 10).replaceAll("-", "");
}

function daysFromToday(days: number, hour = 12): Date {
  return new Date(startOfUtcDay(new Date()).getTime() + days * DAY_MS + hour * 60 * 60 * 1000);
}

/** An event made at `at`, its delivery in `status`, and `attempts` attempts of it made an hour apart. */
async function logRow(at: Date, status: "pending" | "succeeded" | "failed", attempts = 1) {
  const eventId = newId("event", at);
  const deliveryId = newId("delivery", at);
  await database.pool.query(
    `INSERT INTO events (id, app_id, event_type, payload, created_at) VALUES ($1, $2, 'thing.happened', '{}', $3)`,
    [eventId, appId, at],
  );
  await database.pool.query(
    `INSERT INTO deliveries (id, app_id, event_id, endpoint_id, status, attempt_count, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5::delivery_status, $6, CASE WHEN $5::delivery_status = 'pending' THEN now() END, $7)`,
    [deliveryId, appId, eventId, endpointId, status, attempts, at],
  );
  for (let n = 0; n < attempts; n++) {
    const attemptAt = new Date(at.getTime() + n * 60 * 60 * 1000);
    await database.pool.query(
      `INSERT INTO attempts (id, delivery_id, endpoint_id, trigger, response_status_code, duration_ms, succeeded,
                             request_headers, created_at)
       VALUES ($1, $2, $3, 'scheduled', 500, 5, false, '{}', $4)`,
      [newId("attempt", attemptAt), deliveryId, endpointId, attemptAt],
    );
  }
  return { eventId, deliveryId };
}

async function partitionExists(name: string): Promise<boolean> {
  const { rows } = await database.pool.query<{ found: string | null }>("SELECT to_regclass($1)::text AS found", [name]);
  return rows[0]!.found !== null;
}

async function count(table: string, where = "true", values: unknown[] = []): Promise<number> {
  const { rows } = await database.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table} WHERE ${where}`,
    values,
  );
  return rows[0]!.n;
}

describe("log partitions", () => {
  it("are made for today and a week ahead by the migrations, and further ahead by the maintenance as days pass", async () => {
    const days = (await listLogDays(database.pool)).map((day) => day.day);
    for (let ahead = 0; ahead <= DAYS_AHEAD; ahead++) expect(days).toContain(dayName(daysFromToday(ahead)));
    expect(days).not.toContain(dayName(daysFromToday(DAYS_AHEAD + 1)));

    // Three days later, the maintenance adds three days' partitions of each table, then nothing more.
    const later = daysFromToday(3);
    const first = await runMaintenance(database.pool, { retentionMs: RETENTION_MS, now: later });
    expect(first).toMatchObject({ ran: true, created: 9 });
    const after = (await listLogDays(database.pool)).map((day) => day.day);
    expect(after).toContain(dayName(daysFromToday(DAYS_AHEAD + 3)));
    for (const table of ["events", "deliveries", "attempts"])
      expect(await partitionExists(`${table}_p${dayName(daysFromToday(DAYS_AHEAD + 3))}`)).toBe(true);
    expect(await runMaintenance(database.pool, { retentionMs: RETENTION_MS, now: later })).toMatchObject({
      created: 0,
    });

    // A row made on a day ahead lands in that day's partition.
    const ahead = await logRow(daysFromToday(DAYS_AHEAD + 2), "succeeded");
    const { rows } = await database.pool.query<{ partition: string }>(
      "SELECT tableoid::regclass::text AS partition FROM deliveries WHERE id = $1",
      [ahead.deliveryId],
    );
    expect(rows[0]!.partition).toBe(`deliveries_p${dayName(daysFromToday(DAYS_AHEAD + 2))}`);
  });

  it("drops whole days past RETENTION and keeps the later ones", async () => {
    await createPartitions(database.pool, daysFromToday(-40), daysFromToday(0));
    const old = await logRow(daysFromToday(-35), "succeeded", 2);
    const recent = await logRow(daysFromToday(-5), "failed", 3);
    const key = "retention-key";
    await database.pool.query(
      `INSERT INTO idempotency_keys (app_id, key, event_id, created_at) VALUES ($1, $2, $3, $4)`,
      [appId, key, old.eventId, daysFromToday(-35)],
    );

    const result = await runMaintenance(database.pool, { retentionMs: RETENTION_MS });
    expect(result.ran).toBe(true);
    expect(result.keptPending).toBeUndefined();
    // Every day whose end is more than 30 days ago, oldest first, including empty ones.
    expect(result.dropped).toContain(dayName(daysFromToday(-35)));
    expect(result.dropped).toContain(dayName(daysFromToday(-31)));
    expect(result.dropped).not.toContain(dayName(daysFromToday(-29)));
    expect(result.dropped).toEqual([...result.dropped].sort());
    for (const table of ["events", "deliveries", "attempts"]) {
      expect(await partitionExists(`${table}_p${dayName(daysFromToday(-35))}`)).toBe(false);
      expect(await partitionExists(`${table}_p${dayName(daysFromToday(-29))}`)).toBe(true);
    }
    expect(await count("events", "id = $1", [old.eventId])).toBe(0);
    expect(await count("deliveries", "id = $1", [old.deliveryId])).toBe(0);
    expect(await count("attempts", "delivery_id = $1", [old.deliveryId])).toBe(0);
    expect(await count("deliveries", "id = $1", [recent.deliveryId])).toBe(1);
    expect(await count("attempts", "delivery_id = $1", [recent.deliveryId])).toBe(3);
    // The expired idempotency key went too; the key can name a new event.
    expect(result.keysRemoved).toBeGreaterThanOrEqual(1);
    expect(await count("idempotency_keys", "key = $1", [key])).toBe(0);
    const app = await database.db.app.findUniqueOrThrow({ where: { id: appId } });
    const [again] = await ingestEvents(database.pool, [
      { app, input: { eventType: "thing.happened", payload: {} }, idempotencyKey: key },
    ]);
    expect(again!.created).toBe(true);
  });

  it("keeps a day past RETENTION while one of its deliveries is pending, and every day after it", async () => {
    await createPartitions(database.pool, daysFromToday(-45), daysFromToday(0));
    const done = await logRow(daysFromToday(-44), "succeeded");
    const pending = await logRow(daysFromToday(-43), "pending", 2);
    const after = await logRow(daysFromToday(-42), "failed");

    const kept = await runMaintenance(database.pool, { retentionMs: RETENTION_MS });
    expect(kept.dropped).toEqual([dayName(daysFromToday(-45)), dayName(daysFromToday(-44))]);
    expect(kept.keptPending).toEqual({ day: dayName(daysFromToday(-43)), pending: 1 });
    expect(await count("deliveries", "id = $1", [done.deliveryId])).toBe(0);
    expect(await count("deliveries", "id = ANY($1)", [[pending.deliveryId, after.deliveryId]])).toBe(2);
    expect(await count("attempts", "delivery_id = $1", [pending.deliveryId])).toBe(2);
    expect(await count("events", "id = $1", [pending.eventId])).toBe(1);

    // Once it has ended, its day and the next go.
    await database.pool.query(`UPDATE deliveries SET status = 'failed', next_attempt_at = NULL WHERE id = $1`, [
      pending.deliveryId,
    ]);
    const dropped = await runMaintenance(database.pool, { retentionMs: RETENTION_MS });
    expect(dropped.keptPending).toBeUndefined();
    expect(dropped.dropped).toEqual(expect.arrayContaining([dayName(daysFromToday(-43)), dayName(daysFromToday(-42))]));
    expect(await count("deliveries", "id = ANY($1)", [[pending.deliveryId, after.deliveryId]])).toBe(0);
  });

  it("runs in one process at a time: another holding the lock makes a run skip", async () => {
    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    try {
      await other.query("SELECT pg_advisory_lock(7237395040736023911)");
      expect(await runMaintenance(database.pool, { retentionMs: RETENTION_MS })).toEqual({
        ran: false,
        created: 0,
        dropped: [],
        keysRemoved: 0,
        hoursRolledUp: 0,
      });
      await other.query("SELECT pg_advisory_unlock(7237395040736023911)");
      expect((await runMaintenance(database.pool, { retentionMs: RETENTION_MS })).ran).toBe(true);
    } finally {
      await other.end();
    }
  });
});
