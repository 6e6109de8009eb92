// The two lookups every API request makes, against a real database: the
// API key and the app a request names are remembered, and requests that
// arrive together while one is being looked up share that lookup instead of
// each sending its own query.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY_TTL_MS, authenticateApiKey, createApiKey } from "../../lib/auth/api-keys";
import { createApp, resolveAppId } from "../../lib/apps/apps";
import { NotFoundError } from "../../lib/platform/errors";
import { createTestDatabase, uniqueName, type TestDatabase } from "../support/services";

let database: TestDatabase;
/** A client on the same database that keeps the text of every query it sends. */
function countingClient(url: string, queries: string[]) {
  const client = new PrismaClient({
    adapter: new PrismaPg({ connectionString: url }),
    log: [{ emit: "event", level: "query" }],
  });
  client.$on("query", (event) => queries.push(event.query));
  return client;
}
const queries: string[] = [];
let counted: ReturnType<typeof countingClient>;

beforeAll(async () => {
  database = await createTestDatabase();
  counted = countingClient(database.url, queries);
});
afterAll(async () => {
  await counted?.$disconnect();
  await database?.drop();
});

/** How many of the queries sent meanwhile read `table`. */
async function queriesOn(table: string, run: () => Promise<unknown>): Promise<number> {
  queries.length = 0;
  await run();
  return queries.filter((query) => query.includes(`"${table}"`)).length;
}

/**
 * `count` calls started on separate turns of the event loop while `table`
 * is locked, so that each has started before any query can answer (Prisma
 * itself merges the reads of one turn), then the lock is released.
 */
async function arrivingTogether<T>(table: string, count: number, call: () => Promise<T>): Promise<T[]> {
  const lock = await database.pool.connect();
  try {
    await lock.query(`BEGIN; LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    const calls: Array<Promise<T>> = [];
    for (let n = 0; n < count; n++) {
      calls.push(call());
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await lock.query("COMMIT");
    return await Promise.all(calls);
  } finally {
    lock.release();
  }
}

describe("API keys", () => {
  it("answers requests that arrive together with one query, then from memory", async () => {
    const { id, key } = await createApiKey(database.db, uniqueName("key"));
    let ids: Array<string | undefined> = [];
    expect(
      await queriesOn(
        "api_keys",
        async () => (ids = await arrivingTogether("api_keys", 20, () => authenticateApiKey(counted, key))),
      ),
    ).toBe(1);
    expect(ids).toEqual(Array(20).fill(id));
    expect(await queriesOn("api_keys", () => authenticateApiKey(counted, key))).toBe(0);
  });

  it("stops accepting a deleted key once the TTL has passed", async () => {
    const { id, key } = await createApiKey(database.db, uniqueName("deleted"));
    expect(await authenticateApiKey(counted, key)).toBe(id);
    await database.db.apiKey.delete({ where: { id } });
    await new Promise((resolve) => setTimeout(resolve, API_KEY_TTL_MS + 500));
    expect(await authenticateApiKey(counted, key)).toBeUndefined();
    expect(await authenticateApiKey(counted, key)).toBeUndefined();
  }, 30_000);

  it("does not remember a key it does not know, so one created next works at once", async () => {
    const unknown = `hp_${uniqueName("unknown")}`;
    expect(
      await queriesOn("api_keys", () => arrivingTogether("api_keys", 5, () => authenticateApiKey(counted, unknown))),
    ).toBe(1);
    expect(await queriesOn("api_keys", () => authenticateApiKey(counted, unknown))).toBe(1);
    expect(await authenticateApiKey(counted, unknown)).toBeUndefined();
    expect(await queriesOn("api_keys", () => authenticateApiKey(counted, "not-a-key"))).toBe(0);
  });
});

describe("apps named by a request", () => {
  it("resolves an id or uid named by requests arriving together with one query", async () => {
    const uid = uniqueName("shop");
    const app = await createApp(database.db, { name: "shop", uid });
    let ids: string[] = [];
    expect(
      await queriesOn("apps", async () => (ids = await arrivingTogether("apps", 20, () => resolveAppId(counted, uid)))),
    ).toBe(1);
    expect(ids).toEqual(Array(20).fill(app.id));
    expect(await queriesOn("apps", () => resolveAppId(counted, uid))).toBe(0);
    expect(await queriesOn("apps", () => resolveAppId(counted, app.id))).toBe(1);
  });

  it("answers an unknown app with NotFoundError every time, and finds it once created", async () => {
    const uid = uniqueName("later");
    await expect(resolveAppId(counted, uid)).rejects.toBeInstanceOf(NotFoundError);
    await expect(resolveAppId(counted, uid)).rejects.toBeInstanceOf(NotFoundError);
    const app = await createApp(database.db, { name: "later", uid });
    expect(await resolveAppId(counted, uid)).toBe(app.id);
  });
});
