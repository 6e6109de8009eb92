// What the CLI's commands run on, made when first asked for and closed when
// the command ends: the database, a queue producer that fails at once when
// Redis is down, the ingestion the API uses, and the caller the CLI is.
import { userInfo } from "node:os";
import pino from "pino";
import type { Caller } from "../../lib/auth/caller";
import { createIngestion, type Ingestion } from "../../lib/events/ingestion";
import type { Config } from "../../lib/platform/config";
import { closeDb, getDb, getHotPathPool, type Db } from "../../lib/platform/db";
import type { Logger } from "../../lib/platform/logger";
import type { UseCaseDeps } from "../../lib/platform/web-runtime";
import { DeliveryProducer } from "../../lib/queue/producer";
import { createCommandConnection } from "../../lib/queue/redis";

export interface CliContext {
  config: Config;
  /** Every change is made, and logged in the app's activity, as `cli (<OS user>)`. */
  caller: Caller;
  db(): Db;
  /** What the use cases need; the producer connects to Redis on first use. */
  deps(): UseCaseDeps;
  /** The API's own way of storing events and queueing their first attempts. */
  ingestion(): Ingestion;
  close(): Promise<void>;
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    // A container's uid may have no passwd entry; the CLI is still the actor.
    return process.env.USER ?? "unknown";
  }
}

export function createCliContext(config: Config): CliContext {
  // Standard error, so that --json output stays parseable; quiet unless LOG_LEVEL asks.
  const logger: Logger = pino(
    { level: process.env.LOG_LEVEL ?? "silent", base: { service: "cli" } },
    pino.destination({ dest: 2, sync: true }),
  );
  let producer: DeliveryProducer | undefined;
  let db: Db | undefined;
  let ingestion: Ingestion | undefined;
  const getProducer = () => {
    if (!producer) {
      producer = new DeliveryProducer(
        createCommandConnection(config.REDIS_URL, logger),
        config.QUEUE_PREFIX,
        config.QUEUE_SHARDS,
      );
      // The add that meets a dead Redis fails the command; the queue's own report of it goes to the log.
      for (const queue of producer.queues) {
        queue.on("error", (error) => logger.warn({ err: error }, "queue connection failed"));
      }
    }
    return producer;
  };
  const context: CliContext = {
    config,
    caller: { kind: "cli", user: osUser() },
    db: () => (db ??= getDb()),
    deps: () => ({
      db: context.db(),
      // A getter: a command that queues nothing (a dry run) never connects to Redis.
      get producer() {
        return getProducer();
      },
      policy: { allowPrivate: config.ALLOW_PRIVATE_ENDPOINTS, allowedCidrs: config.ALLOWED_PRIVATE_CIDRS },
      logger,
      rotationOverlapMs: config.SECRET_ROTATION_OVERLAP,
    }),
    ingestion: () => (ingestion ??= createIngestion(getHotPathPool(), getProducer(), logger)),
    async close() {
      if (producer) {
        await producer.close();
        producer.connection.disconnect();
      }
      if (db || ingestion) await closeDb();
    },
  };
  return context;
}
