// Liveness and readiness of a process's dependencies, for /api/health*
// and the worker's metrics port.
import type { Redis } from "ioredis";
import type { Db } from "./db";
import { withTimeout } from "./with-timeout";

const CHECK_TIMEOUT_MS = 2_000;

function within<T>(work: Promise<T>): Promise<T> {
  return withTimeout(work, CHECK_TIMEOUT_MS, () => new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`));
}

export interface HealthReport {
  status: "ok" | "unavailable";
  checks: Record<string, string>;
}

function describe(result: PromiseSettledResult<unknown>): string {
  return result.status === "fulfilled" ? "ok" : `unavailable: ${(result.reason as Error).message}`;
}

function report(checks: Record<string, string>): HealthReport {
  return { status: Object.values(checks).every((check) => check === "ok") ? "ok" : "unavailable", checks };
}

/** PostgreSQL and Redis answer. */
export async function checkHealth(db: Db, redis: Redis): Promise<HealthReport> {
  const [database, queue] = await Promise.allSettled([within(db.$queryRaw`SELECT 1`), within(redis.ping())]);
  return report({ database: describe(database), redis: describe(queue) });
}

/**
 * BullMQ needs Redis to never evict keys: an evicted job is a lost attempt
 * until the sweeper notices. A Redis that hides CONFIG is reported as unknown.
 */
async function evictionPolicy(redis: Redis): Promise<string> {
  const reply = (await within(redis.call("CONFIG", "GET", "maxmemory-policy"))) as string[];
  const policy = reply[1];
  if (policy === undefined) return "unknown: CONFIG GET maxmemory-policy returned nothing";
  return policy === "noeviction" ? "ok" : `misconfigured: maxmemory-policy is ${policy}, set it to noeviction`;
}

/** Ready to serve: dependencies answer and Redis will not evict queue keys. */
export async function checkReadiness(db: Db, redis: Redis): Promise<HealthReport> {
  const [database, queue, eviction] = await Promise.allSettled([
    within(db.$queryRaw`SELECT 1`),
    within(redis.ping()),
    evictionPolicy(redis),
  ]);
  return report({
    database: describe(database),
    redis: describe(queue),
    redisEvictionPolicy: eviction.status === "fulfilled" ? eviction.value : describe(eviction),
  });
}
