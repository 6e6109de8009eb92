// The order in which the worker takes delivery jobs, against a real Redis:
// a retry someone asked for must not wait behind a backlog of first
// attempts, while a replay keeps its place in line.
import { Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELIVERY_QUEUE, firstAttemptsJobId } from "../../lib/queue/jobs";
import { DeliveryProducer } from "../../lib/queue/producer";
import { REDIS_URL, uniqueName } from "../support/services";

let redis: Redis;
let workerRedis: Redis;
let producer: DeliveryProducer;
let worker: Worker;

beforeAll(() => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const prefix = uniqueName("queue-order");
  producer = new DeliveryProducer(redis, prefix);
  // No processor: the test takes each job itself, as the worker's loop would.
  workerRedis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  worker = new Worker(DELIVERY_QUEUE, undefined, { connection: workerRedis, prefix, autorun: false });
});
afterAll(async () => {
  await worker?.close();
  await producer?.queue.obliterate({ force: true });
  await producer?.close();
  redis?.disconnect();
  workerRedis?.disconnect();
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
  it("takes a requested retry before the first attempts already queued, and a replay's jobs after them", async () => {
    await producer.addFirstAttempts(firstAttemptsJobId(), [{ deliveryId: "dlv_a1" }, { deliveryId: "dlv_a2" }]);
    await producer.addFirstAttempts(firstAttemptsJobId(), [{ deliveryId: "dlv_b" }]);
    // A replay's first second goes out at once (delay 0), the rest later.
    await producer.addManual("dlv_replayed", "ops@example.com", { delayMs: 0 });
    await producer.addManual("dlv_clicked", "ops@example.com");

    expect(await takeAll()).toEqual(["dlv_clicked", "dlv_a1+dlv_a2", "dlv_b", "dlv_replayed"]);
  });
});
