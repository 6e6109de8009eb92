// The sweeper against a real database and Redis, with no worker taking
// jobs: it must enqueue every due delivery whose job is gone, and leave a
// first attempt alone while the first-attempts job its row names is queued.
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../lib/apps";
import { sweepDueDeliveries } from "../../lib/delivery/sweeper";
import { createEndpoint } from "../../lib/endpoints";
import { ingestEvents } from "../../lib/events";
import { createLogger } from "../../lib/logger";
import { firstAttemptsJobId, scheduledAttemptJobId } from "../../lib/queue/jobs";
import { DeliveryProducer } from "../../lib/queue/producer";
import { createTestDatabase, REDIS_URL, uniqueName, type TestDatabase } from "../support/services";

let database: TestDatabase;
let redis: Redis;
let producer: DeliveryProducer;
const logger = createLogger("worker");

beforeAll(async () => {
  database = await createTestDatabase();
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  producer = new DeliveryProducer(redis, uniqueName("sweeper"));
});
afterAll(async () => {
  await producer?.queue.obliterate({ force: true });
  await producer?.close();
  redis?.disconnect();
  await database?.drop();
});

/** `count` deliveries recorded as held by `jobId`, due a minute ago, so past the sweeper's grace. */
async function dueDeliveries(name: string, count: number, jobId: string) {
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
    { firstAttemptJob: jobId },
  );
  const ids = results.flatMap((result) => result.deliveryIds);
  await database.db.delivery.updateMany({
    where: { id: { in: ids } },
    data: { nextAttemptAt: new Date(Date.now() - 60_000) },
  });
  return ids;
}

const queued = async (jobId: string) => (await producer.queue.getJob(jobId)) !== undefined;

describe("sweepDueDeliveries", () => {
  it("leaves first attempts to their queued first-attempts job, and enqueues them once it is gone", async () => {
    const jobId = firstAttemptsJobId();
    const ids = await dueDeliveries("held", 3, jobId);
    await producer.addFirstAttempts(
      jobId,
      ids.map((deliveryId) => ({ deliveryId })),
    );

    expect(await sweepDueDeliveries(database.db, producer, logger)).toBe(0);
    for (const id of ids) expect(await queued(scheduledAttemptJobId(id, 1))).toBe(false);

    // The job is lost (Redis flushed, or failed for good): each delivery gets a job of its own.
    await producer.queue.remove(jobId);
    expect(await sweepDueDeliveries(database.db, producer, logger)).toBe(3);
    for (const id of ids) expect(await queued(scheduledAttemptJobId(id, 1))).toBe(true);
  });

  it("leaves alone a delivery whose own job waits in the delayed set, as one refused by its endpoint's cap does", async () => {
    const [id] = await dueDeliveries("deferred", 1, firstAttemptsJobId());
    await producer.addScheduled([{ deliveryId: id!, attempt: 1, delayMs: 60_000 }]);
    expect(await sweepDueDeliveries(database.db, producer, logger)).toBe(0);
    expect(await producer.queue.getJobState(scheduledAttemptJobId(id!, 1))).toBe("delayed");
  });

  it("enqueues a later attempt even while the row's first-attempts job is still queued", async () => {
    const jobId = firstAttemptsJobId();
    const [id] = await dueDeliveries("retrying", 1, jobId);
    await producer.addFirstAttempts(jobId, [{ deliveryId: id! }]);
    // The first attempt was made (by a copy of the job) and failed; the retry is due.
    await database.db.delivery.update({ where: { id: id! }, data: { scheduledAttempts: 1, attemptCount: 1 } });

    expect(await sweepDueDeliveries(database.db, producer, logger)).toBeGreaterThanOrEqual(1);
    expect(await queued(scheduledAttemptJobId(id!, 2))).toBe(true);
  });
});
