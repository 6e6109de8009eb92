// Test access to the real PostgreSQL and Redis. A missing service fails the
// run with the command that starts it; nothing is skipped.
import { createServer } from "node:net";
import { randomBytes } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";
import { createHotPathPool } from "../../lib/platform/db";
import { LOCAL_DEFAULTS } from "../../scripts/env-defaults";
import { dropDatabase, ensureDatabase, migrate } from "../../scripts/services";

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? LOCAL_DEFAULTS.DATABASE_URL;
export const REDIS_URL = process.env.TEST_REDIS_URL ?? LOCAL_DEFAULTS.REDIS_URL;

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
}

export interface TestDatabase {
  url: string;
  db: PrismaClient;
  /** For what the app runs on the pg pool directly (lib/platform/db.ts); connects on first use. */
  pool: pg.Pool;
  /** For the hot path's statements, planned as in the app (createHotPathPool); connects on first use. */
  hotPathPool: pg.Pool;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file. */
export async function createTestDatabase(serverUrl = POSTGRES_URL): Promise<TestDatabase> {
  const url = new URL(serverUrl);
  url.pathname = `/${uniqueName("hookpost_test")}`;
  const databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl, { quiet: true });
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  // As the app's pools do (lib/platform/db.ts): an idle connection the server
  // drops must not end the test process through the pool's "error" event.
  pool.on("error", () => {});
  const hotPathPool = createHotPathPool(databaseUrl);
  return {
    url: databaseUrl,
    db,
    pool,
    hotPathPool,
    async drop() {
      await Promise.all([db.$disconnect(), pool.end(), hotPathPool.end()]);
      await dropDatabase(databaseUrl);
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Polls `check` until it returns a value other than undefined, or fails with `what`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const reason = lastError instanceof Error ? `: ${lastError.message}` : "";
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
}
