// Long-lived objects of the web process, created on first use and kept on
// globalThis so that Next.js module reloads do not multiply connections.
import { getConfig } from "./config";
import { getDb } from "./db";
import { createIngestion, type Ingestion } from "./ingestion";
import { createLogger, type Logger } from "./logger";
import { DeliveryProducer } from "./queue/producer";
import { createProducerConnection } from "./queue/redis";
import type { DestinationPolicy } from "./url-guard";

interface WebRuntime {
  logger: Logger;
  producer: DeliveryProducer;
  ingestion: Ingestion;
  policy: DestinationPolicy;
}

const globalForRuntime = globalThis as unknown as { hookpostWebRuntime?: WebRuntime };

export function getWebRuntime(): WebRuntime {
  if (!globalForRuntime.hookpostWebRuntime) {
    const config = getConfig();
    const logger = createLogger("web");
    const producer = new DeliveryProducer(createProducerConnection(config.REDIS_URL, logger), config.QUEUE_PREFIX);
    globalForRuntime.hookpostWebRuntime = {
      logger,
      producer,
      ingestion: createIngestion(getDb(), producer, logger),
      policy: { allowPrivate: config.ALLOW_PRIVATE_ENDPOINTS, allowedCidrs: config.ALLOWED_PRIVATE_CIDRS },
    };
  }
  return globalForRuntime.hookpostWebRuntime;
}
