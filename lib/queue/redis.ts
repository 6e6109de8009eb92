// Redis connections for BullMQ and the rest. Producers fail fast so an API
// request never waits on a dead Redis (the database already holds the event
// and the sweeper enqueues it later); workers retry forever, as BullMQ
// requires.
//
// On a cluster (lib/queue/redis-url.ts) ioredis finds the other nodes and
// the slot map from the ones named, and follows failovers.
import { Cluster, Redis, type RedisOptions } from "ioredis";
import type { Logger } from "../platform/logger";
import { parseRedisUrl, type RedisTarget } from "./redis-url";

/** One Redis or a cluster: every Redis use in Hookpost takes either. */
export type RedisClient = Redis | Cluster;

export function isCluster(redis: RedisClient): redis is Cluster {
  return redis instanceof Cluster;
}

export interface ConnectionOptions {
  maxRetriesPerRequest: number | null;
  /** Connect on connect() or the first command rather than at once. */
  lazyConnect?: boolean;
  connectTimeout?: number;
  /** Whether commands sent before the connection is up wait for it (false: they fail at once). */
  enableOfflineQueue?: boolean;
  retryStrategy: (times: number) => number | null;
}

/** A client of REDIS_URL's Redis or cluster, with no error listener: the functions below add one. */
export function connectRedis(url: string, options: ConnectionOptions): RedisClient {
  const target = parseRedisUrl(url);
  if (target.kind === "single") return new Redis(url, options satisfies RedisOptions);
  return new Cluster(target.nodes, {
    clusterRetryStrategy: options.retryStrategy,
    ...(options.lazyConnect ? { lazyConnect: true } : {}),
    // While a failover is under way the cluster answers CLUSTERDOWN, TRYAGAIN
    // and MOVED: ioredis retries those commands after these delays, on the
    // new slot map. Only a connection to no node at all refuses commands
    // at once when the offline queue is off (a producer's, as on one Redis).
    enableOfflineQueue: options.enableOfflineQueue ?? true,
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    retryDelayOnTryAgain: 200,
    slotsRefreshTimeout: 2_000,
    redisOptions: {
      maxRetriesPerRequest: options.maxRetriesPerRequest,
      ...(options.connectTimeout === undefined ? {} : { connectTimeout: options.connectTimeout }),
      ...clusterNodeOptions(target),
    },
  });
}

/** What a connection to one node of the cluster needs besides its address: the URL's credentials and TLS. */
export function clusterNodeOptions(target: Extract<RedisTarget, { kind: "cluster" }>): RedisOptions {
  return {
    ...(target.username ? { username: target.username } : {}),
    ...(target.password ? { password: target.password } : {}),
    ...(target.tls ? { tls: {} } : {}),
  };
}

/** The pause before the next attempt to connect: 200 ms more for each failure in a row, at most 2 s. */
export const reconnectSoon = (times: number) => Math.min(times * 200, 2000);

export function createProducerConnection(url: string, logger: Logger): RedisClient {
  return withErrorLogging(
    connectRedis(url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectTimeout: 2000,
      retryStrategy: reconnectSoon,
    }),
    logger,
    "producer",
  );
}

export function createWorkerConnection(url: string, logger: Logger): RedisClient {
  return withErrorLogging(
    connectRedis(url, { maxRetriesPerRequest: null, retryStrategy: reconnectSoon }),
    logger,
    "worker",
  );
}

/** For one command from a script (the CLI): it waits to connect, but a Redis that is down fails it at once. */
export function createCommandConnection(url: string, logger: Logger): RedisClient {
  return withErrorLogging(
    connectRedis(url, { maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null }),
    logger,
    "command",
  );
}

function withErrorLogging<T extends RedisClient>(redis: T, logger: Logger, role: string): T {
  // Without a listener ioredis prints every reconnect failure as an
  // unhandled error; one line per state change is what an operator needs.
  let lastMessage = "";
  redis.on("error", (error: Error) => {
    if (error.message === lastMessage) return;
    lastMessage = error.message;
    logger.error({ err: error, role }, "redis connection error");
  });
  redis.on("ready", () => {
    if (lastMessage) logger.info({ role }, "redis connection restored");
    lastMessage = "";
  });
  return redis;
}
