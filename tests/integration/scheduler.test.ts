// The scheduler against a real database and Redis, with no worker taking
// jobs: it must queue every due retry that no job names, and every attempt
// an endpoint held back whose turn has come, as one job, name that job in
// the rows, and leave everything else alone. Two schedulers claim disjoint
// rows. A job that could not be added leaves rows the sweeper recovers.
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { postponeDeliveries } from "../../lib/deliveries/attempt-store";
import { queueDueAttempts } from "../../lib/sending/scheduler";
import { sweepDueDeliveries } from "../../lib/sending/sweeper";
import { createLogger } from "../../lib/platform/logger";
import { getMetrics } from "../../lib/platform/metrics";
import { firstAttemptsJobId, scheduledAttemptJobId, type JobData } from "../../lib/queue/jobs";
import { DeliveryProducer } from "../../lib/queue/producer";
import { createQueueFixture, pendingDeliveries, type QueueFixture } from "../support/queue-fixture";
import { uniqueName, type TestDatabase } from "../support/services";

let fixture: QueueFixture;
let database: TestDatabase;
let producer: DeliveryProducer;
const logger = createLogger("worker");

beforeAll(async () => {
  fixture = await createQueueFixture("scheduler");
  ({ database, producer } = fixture);
});
afterAll(async () => {
  await fixture?.close();
});
beforeEach(async () => {
  // Each test sees only its own deliveries.
  await database.db.delivery.deleteMany();
});

/** `count` deliveries whose first attempt failed: a retry (attempt 2) due `dueInMs` from now, no job naming it. */
async function retries(name: string, count: number, dueInMs: number) {
  const ids = await pendingDeliveries(database, name, count, "first-done");
  await database.db.delivery.updateMany({
    where: { id: { in: ids } },
    data: {
      scheduledAttempts: 1,
      attemptCount: 1,
      nextAttemptAt: new Date(Date.now() + dueInMs),
      nextAttemptJob: null,
    },
  });
  return ids;
}

async function counterValue(name: string): Promise<number> {
  const metric = await getMetrics().registry.getSingleMetric(name)?.get();
  return metric?.values.reduce((sum, sample) => sum + sample.value, 0) ?? 0;
}

const rowsOf = (ids: string[]) => database.db.delivery.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } });

describe("queueDueAttempts", () => {
  it("queues every due retry no job names as one job, names it in their rows, and leaves the rest", async () => {
    const due = await retries("due", 3, -1_000);
    const later = await retries("later", 2, 60_000);
    const [held] = await retries("held", 1, -1_000);
    await database.db.delivery.update({
      where: { id: held! },
      data: { nextAttemptJob: scheduledAttemptJobId(held!, 2) },
    });
    const [settled] = await retries("settled", 1, -1_000);
    await database.db.delivery.update({ where: { id: settled! }, data: { status: "succeeded" } });

    const queuedBefore = await counterValue("hookpost_due_attempts_queued_total");
    expect(await queueDueAttempts(database.pool, producer)).toBe(3);
    expect((await counterValue("hookpost_due_attempts_queued_total")) - queuedBefore).toBe(3);

    const rows = await rowsOf(due);
    const jobId = rows[0]!.nextAttemptJob!;
    expect(jobId).toMatch(/^due-/);
    expect(rows.every((row) => row.nextAttemptJob === jobId)).toBe(true);
    const job = await producer.queues[0]!.getJob(jobId);
    expect(job?.name).toBe("due-attempts");
    const data = job!.data as JobData<"due-attempts">;
    expect(data.attempts.map((item) => item.deliveryId).sort()).toEqual([...due].sort());
    expect(data.attempts.every((item) => item.attempt === 2)).toBe(true);

    // Not yet due, held by another job, or no longer pending: untouched.
    expect((await rowsOf(later)).map((row) => row.nextAttemptJob)).toEqual([null, null]);
    expect((await rowsOf([held!]))[0]!.nextAttemptJob).toBe(scheduledAttemptJobId(held!, 2));
    expect((await rowsOf([settled!]))[0]!.nextAttemptJob).toBeNull();
    // Claimed once: a second round finds nothing.
    expect(await queueDueAttempts(database.pool, producer)).toBe(0);
  });

  it("queues a first attempt its endpoint held back once its turn has come, and not before", async () => {
    const firstJob = firstAttemptsJobId();
    const [turnCome, turnLater, notRefused] = await pendingDeliveries(database, "held back", 3, firstJob);
    // The first two were refused by their endpoint's cap, and handed back as the worker does.
    await postponeDeliveries(database.pool, [
      { deliveryId: turnCome!, delayMs: 0 },
      { deliveryId: turnLater!, delayMs: 60_000 },
    ]);

    expect(await queueDueAttempts(database.pool, producer)).toBe(1);
    const [come, later, kept] = await Promise.all([turnCome!, turnLater!, notRefused!].map((id) => rowsOf([id])));
    const job = await producer.queues[0]!.getJob(come![0]!.nextAttemptJob!);
    expect(job?.name).toBe("due-attempts");
    expect((job!.data as JobData<"due-attempts">).attempts).toEqual([{ deliveryId: turnCome, attempt: 1 }]);
    expect(later![0]!.nextAttemptJob).toBeNull();
    expect(later![0]!.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() + 50_000);
    // Still its first-attempts job's: the scheduler does not take it from that job.
    expect(kept![0]!.nextAttemptJob).toBe(firstJob);
  });

  it("lets concurrent schedulers claim disjoint rows, together all of them", async () => {
    const due = await retries("concurrent", 40, -1_000);
    const counts = await Promise.all(Array.from({ length: 4 }, () => queueDueAttempts(database.pool, producer, 15)));
    const claimedByJob = new Map<string, number>();
    for (const row of await rowsOf(due)) {
      expect(row.nextAttemptJob).not.toBeNull();
      claimedByJob.set(row.nextAttemptJob!, (claimedByJob.get(row.nextAttemptJob!) ?? 0) + 1);
    }
    const total = counts.reduce((sum, count) => sum + count, 0);
    // Whatever a round left (each takes at most 15), the next one claims.
    const rest = await queueDueAttempts(database.pool, producer);
    expect(total + rest).toBe(40);
    expect([...claimedByJob.values()].reduce((sum, count) => sum + count, 0)).toBe(40 - rest);
    for (const [jobId, count] of claimedByJob) {
      const job = await producer.queues[0]!.getJob(jobId);
      expect((job!.data as JobData<"due-attempts">).attempts).toHaveLength(count);
    }
  });

  it("leaves rows naming a job Redis never got, which the sweeper enqueues on their own", async () => {
    const due = await retries("lost", 2, -60_000);
    // Nothing listens on port 9: every add fails.
    const unreachable = new Redis("redis://127.0.0.1:9", { maxRetriesPerRequest: 0, lazyConnect: true });
    unreachable.on("error", () => {});
    const broken = new DeliveryProducer(unreachable, uniqueName("unreachable"));
    broken.queues[0]!.on("error", () => {});
    await expect(queueDueAttempts(database.pool, broken)).rejects.toThrow();
    unreachable.disconnect();

    const rows = await rowsOf(due);
    expect(rows.every((row) => row.nextAttemptJob?.startsWith("due-"))).toBe(true);
    expect(await sweepDueDeliveries(database.db, producer, logger)).toBe(2);
    for (const id of due) expect(await producer.queues[0]!.getJob(scheduledAttemptJobId(id, 2))).toBeDefined();
  });
});
