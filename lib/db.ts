// PostgreSQL access shared by every module: one pg pool per process, used by
// the Prisma client and, on the few hot paths, directly.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "@prisma/client";
import pg from "pg";
import { getConfig } from "./config";

const globalForDb = globalThis as unknown as { hookpostDb?: PrismaClient; hookpostPool?: pg.Pool };

/** The process's connection pool; Prisma's $disconnect ends it. */
export function getPool(): pg.Pool {
  if (!globalForDb.hookpostPool) {
    const pool = new pg.Pool({
      connectionString: getConfig().DATABASE_URL,
      // The hot statements are prepared once per connection (queryRows with a
      // name) to skip parsing, but planned on every call with their real
      // arguments: cached generic plans of these batch statements, made
      // while the tables were small, kept scanning them as they grew
      // (docs/performance.md).
      options: "-c plan_cache_mode=force_custom_plan",
    });
    // An idle connection dropped by the server is replaced on next use; without
    // a listener the pool's "error" event would end the process.
    pool.on("error", () => {});
    globalForDb.hookpostPool = pool;
  }
  return globalForDb.hookpostPool;
}

/** Lazily created so that importing a module never opens a connection. */
export function getDb(): PrismaClient {
  // Kept on globalThis: the web process holds two copies of lib/ (Next.js's
  // bundle and server/main.ts's source), and both must share one pool.
  globalForDb.hookpostDb ??= new PrismaClient({
    adapter: new PrismaPg(getPool(), { disposeExternalPool: true }),
  });
  return globalForDb.hookpostDb;
}

/**
 * Runs a statement written with Prisma.sql on the pool itself. For the
 * statements that run once per delivery: the ORM's own work per raw query
 * (compiling, mapping the result) costs more than the query (see
 * docs/performance.md). Columns come back as pg maps them. A `name` makes
 * it a prepared statement, parsed once per connection; its text must then
 * never vary.
 */
export async function queryRows<Row extends pg.QueryResultRow>(
  pool: pg.Pool,
  statement: Prisma.Sql,
  name?: string,
): Promise<Row[]> {
  return (await pool.query<Row>({ name, text: statement.text, values: statement.values })).rows;
}

/**
 * Where a statement written with Prisma.sql can run: the pool itself on the
 * hot paths (see queryRows), or a Prisma client in scripts and tests.
 */
export type SqlRunner = pg.Pool | PrismaClient;

export async function runSql<Row extends pg.QueryResultRow>(
  runner: SqlRunner,
  statement: Prisma.Sql,
  name?: string,
): Promise<Row[]> {
  return runner instanceof pg.Pool ? queryRows<Row>(runner, statement, name) : runner.$queryRaw<Row[]>(statement);
}

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
export type Pool = pg.Pool;
