// Long-lived objects of the web process, created on first use and kept on
// globalThis: the process holds two copies of lib/ (Next.js's bundle, and
// the source server/main.ts loads), and both must use one set of
// connections.
import { listenForApiKeyRevocations } from "../auth/api-keys";
import { getConfig } from "./config";
import { getDb, type Db } from "./db";
import { createLogger, type Logger } from "./logger";
import { DeliveryProducer } from "../queue/producer";
import { createProducerConnection } from "../queue/redis";
import { createSubscriber, type Subscriber } from "../queue/subscriber";
import type { DestinationPolicy } from "../endpoints/url-guard";

interface WebRuntime {
  logger: Logger;
  producer: DeliveryProducer;
  policy: DestinationPolicy;
  /** Listens for API key revocations (lib/auth/api-keys.ts). */
  subscriber: Subscriber;
}

/** What the use cases (a retry, a rotation, a new endpoint...) need of the web process. */
export interface UseCaseDeps {
  db: Db;
  producer: DeliveryProducer;
  policy: DestinationPolicy;
  logger: Logger;
  /** SECRET_ROTATION_OVERLAP */
  rotationOverlapMs: number;
}

const globalForRuntime = globalThis as unknown as { hookpostWebRuntime?: WebRuntime };

export function getWebRuntime(): WebRuntime {
  if (!globalForRuntime.hookpostWebRuntime) {
    const config = getConfig();
    const logger = createLogger("web");
    const producer = new DeliveryProducer(
      createProducerConnection(config.REDIS_URL, logger),
      config.QUEUE_PREFIX,
      config.QUEUE_SHARDS,
    );
    const subscriber = createSubscriber(config.REDIS_URL, logger);
    listenForApiKeyRevocations(subscriber, config.QUEUE_PREFIX, logger).catch((error: unknown) =>
      logger.error({ err: error }, "cannot listen for API key revocations; a revoked key works until its TTL ends"),
    );
    globalForRuntime.hookpostWebRuntime = {
      logger,
      producer,
      subscriber,
      policy: { allowPrivate: config.ALLOW_PRIVATE_ENDPOINTS, allowedCidrs: config.ALLOWED_PRIVATE_CIDRS },
    };
  }
  return globalForRuntime.hookpostWebRuntime;
}

export function getUseCaseDeps(): UseCaseDeps {
  const runtime = getWebRuntime();
  return {
    db: getDb(),
    producer: runtime.producer,
    policy: runtime.policy,
    logger: runtime.logger,
    rotationOverlapMs: getConfig().SECRET_ROTATION_OVERLAP,
  };
}
