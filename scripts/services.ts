// Shared by the start, test and CLI scripts: reach PostgreSQL and Redis,
// create the database if it is missing, and apply migrations offline.
import { spawn } from "node:child_process";
import pg from "pg";
import { redisAnswers } from "../lib/platform/health";
import { connectRedis } from "../lib/queue/redis";
import { ensurePartitionsAhead } from "../lib/retention/partitions";

export class ServiceUnavailableError extends Error {}

const HOW_TO_START = {
  postgres:
    "Start PostgreSQL, e.g. `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` on Debian, or set DATABASE_URL.",
  redis:
    "Start Redis, e.g. `redis-server --daemonize yes --port 6379`, or set REDIS_URL (redis+cluster://host:port,... for a cluster).",
};

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, "//$1:***@");
}

/** Creates the database named in `databaseUrl` if the server has no such database yet. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(databaseUrl);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (error) {
    throw new ServiceUnavailableError(
      `PostgreSQL is not reachable at ${redact(databaseUrl)} (${(error as Error).message}).\n${HOW_TO_START.postgres}`,
    );
  }
  try {
    const existing = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (existing.rowCount === 0) {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      console.log(`Created database ${name}`);
    }
  } finally {
    await client.end();
  }
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const admin = new URL(databaseUrl);
  const name = decodeURIComponent(admin.pathname.slice(1));
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export async function checkRedis(redisUrl: string): Promise<void> {
  const redis = connectRedis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 3000,
  });
  redis.on("error", () => {
    // Reported through the rejected connect() below.
  });
  try {
    await redis.connect();
    await redisAnswers(redis);
  } catch (error) {
    throw new ServiceUnavailableError(
      `Redis is not reachable at ${redact(redisUrl)} (${(error as Error).message}).\n${HOW_TO_START.redis}`,
    );
  } finally {
    redis.disconnect();
  }
}

/**
 * Applies prisma/migrations with `prisma migrate deploy`, which runs on the
 * WebAssembly schema engine configured in prisma.config.ts: no download;
 * then makes sure the delivery log has its partitions for the week ahead.
 */
export async function migrate(databaseUrl: string, options: { quiet?: boolean } = {}): Promise<void> {
  await run("node_modules/.bin/prisma", ["migrate", "deploy"], { DATABASE_URL: databaseUrl }, options.quiet);
  // The log's day partitions up to a week ahead, as the worker keeps them (lib/retention/).
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    await ensurePartitionsAhead(pool);
  } finally {
    await pool.end();
  }
}

export async function generateClient(): Promise<void> {
  await run("node_modules/.bin/prisma", ["generate", "--no-hints"], {}, true);
}

export function run(command: string, args: string[], env: Record<string, string> = {}, quiet = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...env, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`})\n${output}`));
    });
  });
}
