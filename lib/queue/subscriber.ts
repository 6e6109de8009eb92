// A pub/sub subscription that waits out Redis going away. Its connection
// is made without ioredis's own reconnecting: when it ends, the next one
// is made after a pause that grows to 2 s, to the next node REDIS_URL
// names on a cluster (a message published on any node of a cluster
// reaches every node, so any node will do), and it subscribes again to
// every channel. ioredis's cluster subscriber instead picks another node
// the moment a connection ends, with no pause: with every node down, that
// loop takes a whole core.
import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "../platform/logger";
import { clusterNodeOptions, reconnectSoon } from "./redis";
import { parseRedisUrl } from "./redis-url";

export interface Subscriber {
  /**
   * Calls `onMessage` with each message published on `channel`. Resolves
   * once subscribed, or once the connection it tried has ended: the next
   * one subscribes. A message published while no connection is up is lost.
   */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<void>;
  disconnect(): void;
}

export function createSubscriber(url: string, logger: Logger): Subscriber {
  const target = parseRedisUrl(url);
  const options: RedisOptions = { retryStrategy: () => null, maxRetriesPerRequest: null };
  const nodes =
    target.kind === "single"
      ? [() => new Redis(target.url, options)]
      : target.nodes.map(
          (node) => () => new Redis({ ...options, ...clusterNodeOptions(target), host: node.host, port: node.port }),
        );
  const handlers = new Map<string, (message: string) => void>();
  let made = 0;
  let failures = 0;
  let down = false;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = (): Redis => {
    const redis = nodes[made++ % nodes.length]!();
    // One log line when the connection is lost and one when it is back, not one per node tried.
    redis.on("error", (error: Error) => {
      if (down) return;
      down = true;
      logger.error({ err: error, role: "subscriber" }, "redis connection error");
    });
    redis.on("ready", () => {
      if (down) logger.info({ role: "subscriber" }, "redis connection restored");
      down = false;
      failures = 0;
    });
    redis.on("message", (channel: string, message: string) => handlers.get(channel)?.(message));
    redis.once("end", () => {
      if (stopped) return;
      failures++;
      retry = setTimeout(() => (connection = connect()), reconnectSoon(failures));
    });
    // Queued until connected; if this connection ends first, the next one subscribes.
    if (handlers.size > 0) redis.subscribe(...handlers.keys()).catch(() => undefined);
    return redis;
  };
  let connection = connect();

  return {
    async subscribe(channel, onMessage) {
      handlers.set(channel, onMessage);
      await connection.subscribe(channel).catch(() => undefined);
    },
    disconnect() {
      stopped = true;
      clearTimeout(retry);
      connection.disconnect();
    },
  };
}
