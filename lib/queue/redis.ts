// Redis connections for BullMQ. Producers fail fast so an API request never
// waits on a dead Redis (the database already holds the event and the
// sweeper enqueues it later); workers retry forever, as BullMQ requires.
import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "../platform/logger";

export function createProducerConnection(url: string, logger: Logger): Redis {
  return withErrorLogging(
    new Redis(url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectTimeout: 2000,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    }),
    logger,
    "producer",
  );
}

export function createWorkerConnection(url: string, logger: Logger, options: RedisOptions = {}): Redis {
  return withErrorLogging(
    new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(times * 200, 2000), ...options }),
    logger,
    "worker",
  );
}

/** For one command from a script (the CLI): it waits to connect, but a Redis that is down fails it at once. */
export function createCommandConnection(url: string, logger: Logger): Redis {
  return withErrorLogging(
    new Redis(url, { maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null }),
    logger,
    "command",
  );
}

/**
 * A connection that only listens (Redis pub/sub): it waits for Redis
 * instead of failing, and ioredis subscribes it again after a reconnect.
 */
export function createSubscriberConnection(url: string, logger: Logger): Redis {
  return withErrorLogging(
    new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(times * 200, 2000) }),
    logger,
    "subscriber",
  );
}

function withErrorLogging(redis: Redis, logger: Logger, role: string): Redis {
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
