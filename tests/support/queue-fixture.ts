// A database and a queue of their own, for the tests of what the worker
// runs beside its jobs (the sweeper, the scheduler), and pending
// deliveries for them to find.
import { Redis } from "ioredis";
import { createApp } from "../../lib/apps/apps";
import { createEndpoint } from "../../lib/endpoints/endpoints";
import { ingestEvents } from "../../lib/events/events";
import { DeliveryProducer } from "../../lib/queue/producer";
import { createTestDatabase, REDIS_URL, uniqueName, type TestDatabase } from "./services";

export interface QueueFixture {
  database: TestDatabase;
  producer: DeliveryProducer;
  close(): Promise<void>;
}

export async function createQueueFixture(prefix: string): Promise<QueueFixture> {
  const database = await createTestDatabase();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const producer = new DeliveryProducer(redis, uniqueName(prefix));
  return {
    database,
    producer,
    async close() {
      for (const queue of producer.queues) await queue.obliterate({ force: true });
      await producer.close();
      redis.disconnect();
      await database.drop();
    },
  };
}

/**
 * `count` pending deliveries of a new app with one endpoint, whose rows
 * name `firstAttemptJob` as the job holding their first attempt; their ids.
 */
export async function pendingDeliveries(
  database: TestDatabase,
  name: string,
  count: number,
  firstAttemptJob: string,
): Promise<string[]> {
  const app = await createApp(database.db, { name });
  await createEndpoint(
    database.db,
    app.id,
    { url: "http://127.0.0.1:9/hook", description: "", eventTypes: [], rateLimit: null },
    { allowPrivate: true, allowedCidrs: [] },
  );
  const results = await ingestEvents(
    database.pool,
    Array.from({ length: count }, (_, n) => ({
      app,
      input: { eventType: "a", payload: { n } },
      idempotencyKey: undefined,
    })),
    { firstAttemptJob },
  );
  return results.flatMap((result) => result.deliveryIds);
}
