// Whether the dependencies answer, for /api/health.
import type { Redis } from "ioredis";
import type { Db } from "./db";

const CHECK_TIMEOUT_MS = 2_000;

async function within<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export interface HealthReport {
  status: "ok" | "unavailable";
  checks: { database: string; redis: string };
}

export async function checkHealth(db: Db, redis: Redis): Promise<HealthReport> {
  const [database, queue] = await Promise.allSettled([within(db.$queryRaw`SELECT 1`), within(redis.ping())]);
  const describe = (result: PromiseSettledResult<unknown>) =>
    result.status === "fulfilled" ? "ok" : `unavailable: ${(result.reason as Error).message}`;
  const checks = { database: describe(database), redis: describe(queue) };
  return { status: checks.database === "ok" && checks.redis === "ok" ? "ok" : "unavailable", checks };
}
