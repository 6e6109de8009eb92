// PostgreSQL access shared by every module: one pg pool per process for the
// Prisma client and most raw statements, and a small one for the statements
// that run once per event or per attempt batch.
import { PrismaPg } from "@prisma/adapter-pg";
import { Prisma, PrismaClient } from "@prisma/client";
import pg from "pg";
import { getConfig } from "./config";

const globalForDb = globalThis as unknown as {
  hookpostDb?: PrismaClient;
  hookpostPool?: pg.Pool;
  hookpostHotPathPool?: pg.Pool;
};

function createPool(config: pg.PoolConfig): pg.Pool {
  // A new connection costs PostgreSQL a process and its caches. Work that
  // comes back every few seconds, such as the API key cache's lookup every
  // 10 s, would otherwise find its connection closed by pg's 10 s default
  // and open another each time.
  const pool = new pg.Pool({ idleTimeoutMillis: 60_000, ...config });
  // An idle connection dropped by the server is replaced on next use; without
  // a listener the pool's "error" event would end the process.
  pool.on("error", () => {});
  return pool;
}

/**
 * Every query here reads a few rows along an index. PostgreSQL compiles a
 * statement it reckons costly (jit_above_cost) before running it, which
 * took 10 ms to 1.2 s for dashboard reads that then ran in a few: its
 * sessions run without JIT.
 */
const NO_JIT = "-c jit=off";

/** A pool as the process's own: for a script or benchmark that calls the dashboard's functions as the web process does. */
export function createMainPool(connectionString: string): pg.Pool {
  return createPool({ connectionString, options: NO_JIT });
}

/** The process's connection pool; Prisma's $disconnect ends it. */
export function getPool(): pg.Pool {
  globalForDb.hookpostPool ??= createMainPool(getConfig().DATABASE_URL);
  return globalForDb.hookpostPool;
}

/**
 * How the hot-path pool's sessions plan. Its statements (ingestion, the
 * worker's load, record and postpone) are prepared once per connection
 * and planned once, generically, instead of on every call: planned per
 * call, they cost PostgreSQL more to plan than to run. A generic plan is
 * made with the table sizes of its moment, and one made while the tables
 * are small scans them whole as they grow. With sequential scans, hash and
 * merge joins priced out, the only plans left read each row by its key,
 * which is what these statements do at any size. Nothing else runs here:
 * the dashboard's queries need the planner's full choice.
 */
const KEY_ONLY_GENERIC_PLANS = [
  "plan_cache_mode=force_generic_plan",
  "enable_seqscan=off",
  "enable_hashjoin=off",
  "enable_mergejoin=off",
  "enable_material=off",
]
  .map((setting) => `-c ${setting}`)
  .join(" ");

/** A pool whose sessions plan as the hot path's statements need; see KEY_ONLY_GENERIC_PLANS. */
export function createHotPathPool(connectionString: string, max = 4): pg.Pool {
  // A few connections are enough: each batcher has one statement in flight.
  return createPool({ connectionString, max, options: KEY_ONLY_GENERIC_PLANS });
}

/** The process's pool for the per-event and per-attempt statements. */
export function getHotPathPool(): pg.Pool {
  globalForDb.hookpostHotPathPool ??= createHotPathPool(getConfig().DATABASE_URL);
  return globalForDb.hookpostHotPathPool;
}

/** Ends the process's pools (the Prisma client's disconnect ends the first). */
export async function closeDb(): Promise<void> {
  const { hookpostDb, hookpostPool, hookpostHotPathPool } = globalForDb;
  await Promise.all([hookpostDb ? hookpostDb.$disconnect() : hookpostPool?.end(), hookpostHotPathPool?.end()]);
}

/**
 * Whether a where clause asks a column to equal text holding U+0000.
 * PostgreSQL's text cannot hold that character, so no row matches; but
 * sent to PostgreSQL the query fails ("invalid byte sequence"). Only the
 * top level is read: its keys are ANDed and a plain string is equality, so
 * one such key alone decides that nothing matches.
 */
function equalsUnstorableText(where: unknown): boolean {
  if (typeof where !== "object" || where === null) return false;
  return Object.values(where).some((value) => typeof value === "string" && value.includes("\0"));
}

/**
 * Lookups by ids that come from requests (paths, server actions) answer
 * "nothing" for an id holding U+0000, here for every caller at once, so
 * they become the same 404 as any unknown id.
 */
const unstorableTextFindsNothing = Prisma.defineExtension({
  name: "unstorable-text-finds-nothing",
  query: {
    $allModels: {
      findFirst: ({ args, query }) => (equalsUnstorableText(args.where) ? Promise.resolve(null) : query(args)),
      findUnique: ({ args, query }) => (equalsUnstorableText(args.where) ? Promise.resolve(null) : query(args)),
      findMany: ({ args, query }) => (equalsUnstorableText(args.where) ? Promise.resolve([]) : query(args)),
      count: ({ args, query }) => (equalsUnstorableText(args.where) ? Promise.resolve(0) : query(args)),
    },
  },
});

/** Lazily created so that importing a module never opens a connection. */
export function getDb(): PrismaClient {
  // Kept on globalThis: the web process holds two copies of lib/ (Next.js's
  // bundle and server/main.ts's source), and both must share one pool.
  globalForDb.hookpostDb ??= new PrismaClient({
    adapter: new PrismaPg(getPool(), { disposeExternalPool: true }),
    // A query extension changes answers, not the client's methods or their
    // types; only `$on` and `$use`, which nothing here calls, are gone.
  }).$extends(unstorableTextFindsNothing) as unknown as PrismaClient;
  return globalForDb.hookpostDb;
}

/**
 * Runs a statement written with Prisma.sql on the pool itself. For the
 * statements that run once per delivery: the ORM's own work per raw query
 * (compiling, mapping the result) costs more than the query. Columns come
 * back as pg maps them. A `name` makes it a prepared statement, parsed
 * once per connection; its text must then never vary, and it belongs on
 * the hot-path pool, whose sessions plan it in a way that cannot go stale
 * (KEY_ONLY_GENERIC_PLANS).
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
