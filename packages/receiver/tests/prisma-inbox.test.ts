// The Prisma inbox against a real PrismaClient. The client generated for the
// Hookpost schema serves: the inbox only uses $transaction and raw SQL,
// which run on any database, so the test database needs none of its models.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPrismaInbox } from "../src/index.js";
import { releaseTogether, shuffle } from "./support/concurrency.js";
import { createTestDatabase, type TestDatabase } from "./support/database.js";

// Created at load time, not in beforeAll: an unreachable server then fails
// the file with its message instead of reporting every test as skipped.
const database: TestDatabase = await createTestDatabase();
const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url, max: 25 }) });

beforeAll(async () => {
  await prisma.$executeRawUnsafe(
    "CREATE TABLE orders (id serial PRIMARY KEY, event_id text NOT NULL, amount int NOT NULL)",
  );
});

afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

beforeEach(async () => {
  await prisma.$executeRawUnsafe("DROP TABLE IF EXISTS webhook_inbox");
  await prisma.$executeRawUnsafe("TRUNCATE orders");
});

/**
 * For the tests that release 100 or more copies at once on 25 connections:
 * on a busy machine their queue for a connection can outlast Prisma's
 * default maxWait of 2 s. They are about exactly once, not pool sizing.
 */
const MANY_AT_ONCE = { transactionOptions: { maxWait: 30_000, timeout: 30_000 } };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function count(sql: string): Promise<number> {
  const rows = await prisma.$queryRawUnsafe<Array<{ n: bigint }>>(`SELECT count(*) AS n FROM (${sql}) AS rows`);
  return Number(rows[0]?.n);
}

describe("prisma inbox", () => {
  it("runs the handler exactly once for 100 concurrent copies of one event", async () => {
    const inbox = createPrismaInbox(prisma, MANY_AT_ONCE);
    await inbox.ensureTable();
    const copies = 100;
    let handlerRuns = 0;

    const started = performance.now();
    const results = await releaseTogether(
      Array.from(
        { length: copies },
        () => () =>
          inbox.process({ id: "msg_concurrent" }, async (tx, delivery) => {
            handlerRuns += 1;
            await tx.$executeRaw`INSERT INTO orders (event_id, amount) VALUES (${delivery.id}, ${42})`;
            await sleep(50);
            return "created";
          }),
      ),
    );
    const elapsedMs = Math.round(performance.now() - started);
    console.log(`prisma inbox: copies sent=${copies} handler runs=${handlerRuns} elapsed=${elapsedMs} ms`);

    expect(handlerRuns).toBe(1);
    expect(results.filter((result) => result.status === "processed")).toEqual([
      { status: "processed", value: "created" },
    ]);
    expect(results.filter((result) => result.status === "duplicate")).toHaveLength(copies - 1);
    expect(await count("SELECT * FROM orders WHERE event_id = 'msg_concurrent'")).toBe(1);
    expect(await count("SELECT * FROM webhook_inbox")).toBe(1);
  });

  it("keeps neither the claim nor the handler's writes when the handler throws, so a retry runs it", async () => {
    const inbox = createPrismaInbox(prisma);
    await inbox.ensureTable();
    const failing = inbox.process({ id: "msg_fails_once" }, async (tx) => {
      await tx.$executeRaw`INSERT INTO orders (event_id, amount) VALUES ('msg_fails_once', 1)`;
      throw new Error("downstream unavailable");
    });
    await expect(failing).rejects.toThrow("downstream unavailable");
    expect(await count("SELECT * FROM webhook_inbox")).toBe(0);
    expect(await count("SELECT * FROM orders")).toBe(0);

    const retry = await inbox.process({ id: "msg_fails_once" }, async (tx) => {
      await tx.$executeRaw`INSERT INTO orders (event_id, amount) VALUES ('msg_fails_once', 1)`;
    });
    expect(retry.status).toBe("processed");
    expect(await count("SELECT * FROM orders")).toBe(1);
  });

  it("runs the handler once per distinct id when distinct and duplicate copies interleave", async () => {
    const inbox = createPrismaInbox(prisma, MANY_AT_ONCE);
    await inbox.ensureTable();
    const ids = Array.from({ length: 20 }, (_, i) => `msg_mixed_${i}`);
    const deliveries = shuffle(
      ids.flatMap((id) => Array.from({ length: 10 }, () => id)),
      11,
    );
    const runsById = new Map<string, number>();

    const results = await releaseTogether(
      deliveries.map(
        (id) => () =>
          inbox.process({ id }, async (tx, delivery) => {
            runsById.set(delivery.id, (runsById.get(delivery.id) ?? 0) + 1);
            await tx.$executeRaw`INSERT INTO orders (event_id, amount) VALUES (${delivery.id}, 1)`;
          }),
      ),
    );

    expect([...runsById.keys()].sort()).toEqual([...ids].sort());
    expect([...runsById.values()].every((runs) => runs === 1)).toBe(true);
    expect(results.filter((result) => result.status === "processed")).toHaveLength(ids.length);
    expect(await count("SELECT * FROM orders")).toBe(ids.length);
  });
  it("lets a waiting copy take over when the copy that claimed the id fails", async () => {
    const inbox = createPrismaInbox(prisma);
    await inbox.ensureTable();
    let handlerRuns = 0;
    const settled = await releaseTogether(
      Array.from(
        { length: 10 },
        () => () =>
          inbox
            .process({ id: "msg_first_fails" }, async (tx) => {
              handlerRuns += 1;
              await tx.$executeRaw`INSERT INTO orders (event_id, amount) VALUES ('msg_first_fails', 1)`;
              if (handlerRuns === 1) {
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

  it("fails, rather than reporting success, when the handler swallowed a failed statement", async () => {
    const inbox = createPrismaInbox(prisma);
    await inbox.ensureTable();
    const swallowing = inbox.process({ id: "msg_swallowed" }, async (tx) => {
      await tx.$executeRaw`INSERT INTO orders (event_id, amount) VALUES ('msg_swallowed', 1)`;
      await tx.$executeRawUnsafe("SELECT 1 / 0").catch(() => undefined);
    });
    await expect(swallowing).rejects.toThrow(/current transaction is aborted/);
    expect(await count("SELECT * FROM webhook_inbox")).toBe(0);
    expect(await count("SELECT * FROM orders")).toBe(0);
  });
});
