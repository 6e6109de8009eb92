// Liveness and readiness of a process's dependencies, for /api/health*
// and the worker's metrics port.
import type { Redis } from "ioredis";
import { isCluster, type RedisClient } from "../queue/redis";
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

/**
 * Redis answers; a cluster, with every slot served by a primary that
 * answers (cluster_state:ok), since a queue shard in an uncovered slot
 * takes no jobs.
 */
export async function redisAnswers(redis: RedisClient): Promise<void> {
  if (!isCluster(redis)) {
    await redis.ping();
    return;
  }
  const info = String(await redis.call("CLUSTER", "INFO"));
  const state = /cluster_state:(\w+)/.exec(info)?.[1];
  if (state !== "ok")
    throw new Error(`cluster_state is ${state ?? "unknown"}: some slots have no primary that answers`);
}

/** PostgreSQL and Redis answer. */
export async function checkHealth(db: Db, redis: RedisClient): Promise<HealthReport> {
  const [database, queue] = await Promise.allSettled([within(db.$queryRaw`SELECT 1`), within(redisAnswers(redis))]);
  return report({ database: describe(database), redis: describe(queue) });
}

/**
 * BullMQ needs Redis to never evict keys: an evicted job is a lost attempt
 * until the sweeper notices. A Redis that hides CONFIG is reported as
 * unknown. On a cluster every primary is asked: each holds shards.
 */
async function evictionPolicy(redis: RedisClient): Promise<string> {
  if (!isCluster(redis)) return nodeEvictionPolicy(redis);
  const primaries = redis.nodes("master");
  if (primaries.length === 0) return "unknown: no primary of the cluster is known yet";
  const policies = await Promise.all(
    primaries.map(async (node) => `${node.options.host}:${node.options.port} ${await nodeEvictionPolicy(node)}`),
  );
  const wrong = policies.filter((policy) => !policy.endsWith(" ok"));
  return wrong.length === 0 ? "ok" : wrong.join("; ");
}

async function nodeEvictionPolicy(redis: Redis): Promise<string> {
  const reply = (await within(redis.call("CONFIG", "GET", "maxmemory-policy"))) as string[];
  const policy = reply[1];
  if (policy === undefined) return "unknown: CONFIG GET maxmemory-policy returned nothing";
  return policy === "noeviction" ? "ok" : `misconfigured: maxmemory-policy is ${policy}, set it to noeviction`;
}

/** Ready to serve: dependencies answer and Redis will not evict queue keys. */
export async function checkReadiness(db: Db, redis: RedisClient): Promise<HealthReport> {
  const [database, queue, eviction] = await Promise.allSettled([
    within(db.$queryRaw`SELECT 1`),
    within(redisAnswers(redis)),
    evictionPolicy(redis),
  ]);
  return report({
    database: describe(database),
    redis: describe(queue),
    redisEvictionPolicy: eviction.status === "fulfilled" ? eviction.value : describe(eviction),
  });
}
