// Long-lived objects of the web process, created on first use and kept on
// globalThis so that Next.js module reloads do not multiply connections.
import { getConfig } from "./config";
import { createLogger, type Logger } from "./logger";
import { DeliveryProducer } from "./queue/producer";
import { createProducerConnection } from "./queue/redis";
import type { DestinationPolicy } from "./url-guard";

interface WebRuntime {
  logger: Logger;
  producer: DeliveryProducer;
  policy: DestinationPolicy;
}

const globalForRuntime = globalThis as unknown as { hookpostWebRuntime?: WebRuntime };

export function getWebRuntime(): WebRuntime {
  if (!globalForRuntime.hookpostWebRuntime) {
    const config = getConfig();
    const logger = createLogger("web");
    globalForRuntime.hookpostWebRuntime = {
      logger,
      producer: new DeliveryProducer(createProducerConnection(config.REDIS_URL, logger), config.QUEUE_PREFIX),
      policy: { allowPrivate: config.ALLOW_PRIVATE_ENDPOINTS, allowedCidrs: config.ALLOWED_PRIVATE_CIDRS },
    };
  }
  return globalForRuntime.hookpostWebRuntime;
}
