// The delivery queue in three shards on one Redis, with no worker taking
// jobs: a batch's first attempts become one job per shard under one id, each
// holding only its shard's deliveries; the scheduler does the same with due
// retries; and the sweeper looks for each delivery's job in its endpoint's
// shard, re-enqueueing only what a lost shard job held.
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../lib/apps/apps";
import { createEndpoint } from "../../lib/endpoints/endpoints";
import { ingestEvents } from "../../lib/events/events";
import { createLogger } from "../../lib/platform/logger";
import { firstAttemptsJobId, scheduledAttemptJobId } from "../../lib/queue/jobs";
import { DeliveryProducer } from "../../lib/queue/producer";
import { shardOf } from "../../lib/queue/shards";
import { queueDueAttempts } from "../../lib/sending/scheduler";
import { sweepDueDeliveries } from "../../lib/sending/sweeper";
import { createTestDatabase, REDIS_URL, uniqueName, type TestDatabase } from "../support/services";

const SHARDS = 3;
let database: TestDatabase;
let redis: Redis;
let producer: DeliveryProducer;
const logger = createLogger("worker");

beforeAll(async () => {
  database = await createTestDatabase();
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  producer = new DeliveryProducer(redis, uniqueName("shards"), SHARDS);
});
afterAll(async () => {
  for (const queue of producer?.queues ?? []) await queue.obliterate({ force: true });
  await producer?.close();
  redis?.disconnect();
  await database?.drop();
});

/** An app with endpoints in every shard, and one event per endpoint's worth: their deliveries, each with its shard. */
async function deliveriesInEveryShard(firstAttemptJob: string) {
  const app = await createApp(database.db, { name: uniqueName("app") });
  const covered = new Set<number>();
  while (covered.size < SHARDS) {
    const endpoint = await createEndpoint(
      database.db,
      app.id,
      { url: "http://127.0.0.1:9/hook", description: "", eventTypes: [], rateLimit: null },
      { allowPrivate: true, allowedCidrs: [] },
    );
    covered.add(shardOf(endpoint.id, SHARDS));
  }
  const [result] = await ingestEvents(
    database.pool,
    [{ app, input: { eventType: "a", payload: {} }, idempotencyKey: undefined }],
    {
      firstAttemptJob,
    },
  );
  return result!.deliveryIds.map((deliveryId, index) => {
    const endpointId = result!.endpointIds[index]!;
    return { deliveryId, endpointId, shard: shardOf(endpointId, SHARDS) };
  });
}

/** The delivery ids a batch job of each shard holds, by shard. */
async function heldBy(jobId: string): Promise<Array<string[] | undefined>> {
  return Promise.all(
    producer.queues.map(async (queue) => {
      const job = await queue.getJob(jobId);
      if (!job) return undefined;
      const data = job.data as { deliveries?: Array<{ deliveryId: string }>; attempts?: Array<{ deliveryId: string }> };
      return (data.deliveries ?? data.attempts ?? []).map((item) => item.deliveryId).sort();
    }),
  );
}

const ofShard = (deliveries: Array<{ deliveryId: string; shard: number }>, shard: number) =>
  deliveries
    .filter((d) => d.shard === shard)
    .map((d) => d.deliveryId)
    .sort();

describe("the delivery queue in shards", () => {
  it("splits a batch's first attempts by shard, and the sweeper re-enqueues only what a lost shard job held", async () => {
    const jobId = firstAttemptsJobId();
    const deliveries = await deliveriesInEveryShard(jobId);
    await producer.addFirstAttempts(jobId, deliveries);
    expect(await heldBy(jobId)).toEqual([0, 1, 2].map((shard) => ofShard(deliveries, shard)));

    await database.db.delivery.updateMany({ data: { nextAttemptAt: new Date(Date.now() - 60_000) } });
    expect(await sweepDueDeliveries(database.db, producer, logger)).toBe(0);

    await producer.queues[1]!.remove(jobId);
    expect(await sweepDueDeliveries(database.db, producer, logger)).toBe(ofShard(deliveries, 1).length);
    for (const { deliveryId, shard } of deliveries) {
      const own = scheduledAttemptJobId(deliveryId, 1);
      const found = await Promise.all(producer.queues.map(async (queue) => (await queue.getJob(own)) !== undefined));
      expect(found).toEqual([0, 1, 2].map((index) => shard === 1 && index === 1));
    }
  });

  it("queues due retries as one job per shard, under the id their rows name", async () => {
    await database.db.delivery.deleteMany();
    const deliveries = await deliveriesInEveryShard("first-done");
    await database.db.delivery.updateMany({
      data: {
        scheduledAttempts: 1,
        attemptCount: 1,
        nextAttemptAt: new Date(Date.now() - 1_000),
        nextAttemptJob: null,
      },
    });
    expect(await queueDueAttempts(database.pool, producer)).toBe(deliveries.length);
    const rows = await database.db.delivery.findMany();
    const jobIds = new Set(rows.map((row) => row.nextAttemptJob));
    expect(jobIds.size).toBe(1);
    expect(await heldBy([...jobIds][0]!)).toEqual([0, 1, 2].map((shard) => ofShard(deliveries, shard)));
  });

  it("keeps an endpoint's jobs in its own shard: a manual attempt goes to the endpoint's queue", async () => {
    const [delivery] = await deliveriesInEveryShard("first-done");
    const waiting = () => Promise.all(producer.queues.map((queue) => queue.getWaitingCount()));
    const before = await waiting();
    await producer.addManual(delivery!, "ops@example.test");
    const after = await waiting();
    expect(after.map((count, shard) => count - before[shard]!)).toEqual(
      [0, 1, 2].map((s) => (s === delivery!.shard ? 1 : 0)),
    );
  });
});
