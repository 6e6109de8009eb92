import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPgInbox, inboxTableSql } from "../src/index.js";
import { releaseTogether, shuffle } from "./support/concurrency.js";
import { createTestDatabase, type TestDatabase } from "./support/database.js";

// Created at load time, not in beforeAll: an unreachable server then fails
// the file with its message instead of reporting every test as skipped.
const database: TestDatabase = await createTestDatabase();
// More connections than Postgres needs, so copies really do overlap in the
// database rather than queueing for a connection in the pool.
const pool = new pg.Pool({ connectionString: database.url, max: 25 });
// Dropping the database at the end terminates connections the pool is still
// closing (57P01); anything else is a real failure.
pool.on("error", (error: Error & { code?: string }) => {
  if (error.code !== "57P01") throw error;
});

beforeAll(async () => {
  await pool.query("CREATE TABLE orders (id serial PRIMARY KEY, event_id text NOT NULL, amount int NOT NULL)");
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

beforeEach(async () => {
  await pool.query("DROP TABLE IF EXISTS webhook_inbox");
  await pool.query("TRUNCATE orders");
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens the pool's connections up front, so the copies race in the database, not in connection setup. */
async function warmUp(target: pg.Pool, connections: number): Promise<void> {
  const clients = await Promise.all(Array.from({ length: connections }, () => target.connect()));
  for (const client of clients) client.release();
}

async function count(sql: string, values: unknown[] = []): Promise<number> {
  const result = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM (${sql}) AS rows`, values);
  return Number(result.rows[0]?.n);
}

describe("pg inbox", () => {
  it("runs the handler exactly once for 100 concurrent copies of one event", async () => {
    const inbox = createPgInbox(pool);
    await inbox.ensureTable();
    await warmUp(pool, 25);
    const copies = 100;
    let handlerRuns = 0;
    let handlerFinishedAt = Number.POSITIVE_INFINITY;
    const duplicateAnsweredAt: number[] = [];

    const started = performance.now();
    const results = await releaseTogether(
      Array.from({ length: copies }, () => async () => {
        const result = await inbox.process({ id: "msg_concurrent" }, async (client, delivery) => {
          handlerRuns += 1;
          await client.query("INSERT INTO orders (event_id, amount) VALUES ($1, $2)", [delivery.id, 42]);
          // Holds the claim open so the other copies are inside the database,
          // blocked on the uncommitted key, rather than arriving after COMMIT.
          await sleep(50);
          handlerFinishedAt = performance.now();
          return "created";
        });
        if (result.status === "duplicate") duplicateAnsweredAt.push(performance.now());
        return result;
      }),
    );
    const elapsedMs = Math.round(performance.now() - started);
    console.log(`pg inbox: copies sent=${copies} handler runs=${handlerRuns} elapsed=${elapsedMs} ms`);

    expect(handlerRuns).toBe(1);
    expect(results.filter((result) => result.status === "processed")).toEqual([
      { status: "processed", value: "created" },
    ]);
    expect(results.filter((result) => result.status === "duplicate")).toHaveLength(copies - 1);
    // A duplicate is only answered once the event is durable: a 2xx sent
    // while the first copy could still roll back would lose the event.
    expect(Math.min(...duplicateAnsweredAt)).toBeGreaterThan(handlerFinishedAt);
    expect(await count("SELECT * FROM orders WHERE event_id = 'msg_concurrent'")).toBe(1);
    expect(await count("SELECT * FROM webhook_inbox")).toBe(1);
  });

  it("keeps neither the claim nor the handler's writes when the handler throws, so a retry runs it", async () => {
    const inbox = createPgInbox(pool);
    await inbox.ensureTable();
    const failing = inbox.process({ id: "msg_fails_once" }, async (client) => {
      await client.query("INSERT INTO orders (event_id, amount) VALUES ('msg_fails_once', 1)");
      throw new Error("downstream unavailable");
    });
    await expect(failing).rejects.toThrow("downstream unavailable");
    expect(await count("SELECT * FROM webhook_inbox")).toBe(0);
    expect(await count("SELECT * FROM orders")).toBe(0);

    const retry = await inbox.process({ id: "msg_fails_once" }, async (client) => {
      await client.query("INSERT INTO orders (event_id, amount) VALUES ('msg_fails_once', 1)");
    });
    expect(retry.status).toBe("processed");
    expect(await count("SELECT * FROM orders")).toBe(1);
    expect((await inbox.process({ id: "msg_fails_once" }, () => Promise.resolve())).status).toBe("duplicate");
  });

  it("lets a waiting copy take over when the copy that claimed the id fails", async () => {
    const inbox = createPgInbox(pool);
    await inbox.ensureTable();
    let handlerRuns = 0;
    const settled = await releaseTogether(
      Array.from(
        { length: 10 },
        () => () =>
          inbox
            .process({ id: "msg_first_fails" }, async (client) => {
              handlerRuns += 1;
              await client.query("INSERT INTO orders (event_id, amount) VALUES ('msg_first_fails', 1)");
              if (handlerRuns === 1) {
                // Long enough that the other copies are all blocked on the claim.
                await sleep(200);
                throw new Error("first attempt fails");
              }
            })
            .then(
              (result) => result.status,
              () => "failed" as const,
            ),
      ),
    );
    expect(handlerRuns).toBe(2);
    expect(settled.filter((status) => status === "failed")).toHaveLength(1);
    expect(settled.filter((status) => status === "processed")).toHaveLength(1);
    expect(settled.filter((status) => status === "duplicate")).toHaveLength(8);
    expect(await count("SELECT * FROM orders")).toBe(1);
  });

  it("runs the handler once per distinct id when distinct and duplicate copies interleave", async () => {
    const inbox = createPgInbox(pool);
    await inbox.ensureTable();
    const ids = Array.from({ length: 20 }, (_, i) => `msg_mixed_${i}`);
    const deliveries = shuffle(
      ids.flatMap((id) => Array.from({ length: 10 }, () => id)),
      7,
    );
    const runsById = new Map<string, number>();

    const results = await releaseTogether(
      deliveries.map(
        (id) => () =>
          inbox.process({ id }, async (client, delivery) => {
            runsById.set(delivery.id, (runsById.get(delivery.id) ?? 0) + 1);
            await client.query("INSERT INTO orders (event_id, amount) VALUES ($1, 1)", [delivery.id]);
          }),
      ),
    );

    expect([...runsById.keys()].sort()).toEqual([...ids].sort());
    expect([...runsById.values()].every((runs) => runs === 1)).toBe(true);
    expect(results.filter((result) => result.status === "processed")).toHaveLength(ids.length);
    expect(await count("SELECT DISTINCT event_id FROM orders")).toBe(ids.length);
    expect(await count("SELECT * FROM orders")).toBe(ids.length);
  });

  it("fails, rather than reporting success, when the handler swallowed a failed statement", async () => {
    const inbox = createPgInbox(pool);
    await inbox.ensureTable();
    const swallowing = inbox.process({ id: "msg_swallowed" }, async (client) => {
      await client.query("INSERT INTO orders (event_id, amount) VALUES ('msg_swallowed', 1)");
      await client.query("SELECT 1 / 0").catch(() => undefined);
    });
    await expect(swallowing).rejects.toThrow(/rolled back at COMMIT/);
    expect(await count("SELECT * FROM webhook_inbox")).toBe(0);
    expect(await count("SELECT * FROM orders")).toBe(0);
  });

  it("uses a configured table, and the same SQL works as a migration", async () => {
    await pool.query("CREATE SCHEMA IF NOT EXISTS hooks");
    await pool.query(inboxTableSql("hooks.received"));
    const inbox = createPgInbox(pool, { table: "hooks.received" });
    await inbox.ensureTable();
    expect((await inbox.process({ id: "msg_custom_table" }, () => Promise.resolve(1))).status).toBe("processed");
    expect(await count("SELECT * FROM hooks.received WHERE id = 'msg_custom_table'")).toBe(1);
  });

  it("refuses a table name that is not a plain identifier", () => {
    for (const table of ['inbox"; DROP TABLE orders; --', "Inbox", "a.b.c", "1inbox", "x".repeat(64)]) {
      expect(() => createPgInbox(pool, { table })).toThrow(TypeError);
    }
  });
});
