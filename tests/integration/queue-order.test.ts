// The order in which the worker takes delivery jobs, against a real
// PostgreSQL and Redis: what someone asked for and is watching (a Retry, a
// test event) must not wait behind a backlog of first attempts, while a
// replay keeps its place in line.
import { Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../lib/apps/apps";
import { createEndpoint } from "../../lib/endpoints/endpoints";
import { createLogger } from "../../lib/platform/logger";
import { DELIVERY_QUEUE, firstAttemptsJobId } from "../../lib/queue/jobs";
import type { DeliveryProducer } from "../../lib/queue/producer";
import { sendTestEvent } from "../../lib/endpoints/test-events";
import { createQueueFixture, type QueueFixture } from "../support/queue-fixture";
import { REDIS_URL } from "../support/services";

let fixture: QueueFixture;
let producer: DeliveryProducer;
let workerRedis: Redis;
let worker: Worker;

beforeAll(async () => {
  fixture = await createQueueFixture("queue-order");
  producer = fixture.producer;
  // No processor: the test takes each job itself, as the worker's loop would.
  workerRedis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  worker = new Worker(DELIVERY_QUEUE, undefined, {
    connection: workerRedis,
    prefix: producer.queues[0]!.opts.prefix,
    autorun: false,
  });
});
afterAll(async () => {
  await worker?.close();
  workerRedis?.disconnect();
  await fixture?.close();
});

/** Which delivery each job is for, in the order the worker takes them. */
async function takeAll(): Promise<string[]> {
  const taken: string[] = [];
  for (;;) {
    const job = (await worker.getNextJob("test", { block: false })) as Job | undefined;
    if (!job) return taken;
    const data = job.data as { deliveryId?: string; deliveries?: Array<{ deliveryId: string }> };
    taken.push(data.deliveryId ?? data.deliveries!.map((item) => item.deliveryId).join("+"));
  }
}

describe("the delivery queue", () => {
  it("takes a requested retry and a test event before the first attempts already queued, and a replay's jobs after them", async () => {
    const { db } = fixture.database;
    const app = await createApp(db, { name: "queue-order" });
    const endpoint = await createEndpoint(
      db,
      app.id,
      { url: "http://127.0.0.1:9/hook", description: "", eventTypes: [], rateLimit: null },
      { allowPrivate: true, allowedCidrs: [] },
    );
    await producer.addFirstAttempts(firstAttemptsJobId(), [
      { deliveryId: "dlv_a1", endpointId: endpoint.id },
      { deliveryId: "dlv_a2", endpointId: endpoint.id },
    ]);
    await producer.addFirstAttempts(firstAttemptsJobId(), [{ deliveryId: "dlv_b", endpointId: endpoint.id }]);
    // A replay's first second goes out at once (delay 0), the rest later.
    await producer.addManual({ deliveryId: "dlv_replayed", endpointId: endpoint.id }, "ops@example.com", {
      delayMs: 0,
    });
    const test = await sendTestEvent(db, producer, createLogger("web"), app.id, endpoint.id);
    await producer.addManual({ deliveryId: "dlv_clicked", endpointId: endpoint.id }, "ops@example.com");

    expect(await takeAll()).toEqual(["dlv_clicked", test.deliveryId, "dlv_a1+dlv_a2", "dlv_b", "dlv_replayed"]);
  });
});
