// The sweeper against a real database and Redis, with no worker taking
// jobs: it must enqueue every due delivery whose job is gone, leave one
// alone while the batch job its row names is queued, and leave a retry no
// job names to the scheduler.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postponeDeliveries } from "../../lib/deliveries/attempt-store";
import { SWEEP_BATCH, sweepDueDeliveries } from "../../lib/sending/sweeper";
import { createLogger } from "../../lib/platform/logger";
import { dueAttemptsJobId, firstAttemptsJobId, scheduledAttemptJobId } from "../../lib/queue/jobs";
import type { DeliveryProducer } from "../../lib/queue/producer";
import { createQueueFixture, pendingDeliveries, type QueueFixture } from "../support/queue-fixture";
import type { TestDatabase } from "../support/services";

let fixture: QueueFixture;
let database: TestDatabase;
let producer: DeliveryProducer;
const logger = createLogger("worker");

beforeAll(async () => {
  fixture = await createQueueFixture("sweeper");
  ({ database, producer } = fixture);
});
afterAll(async () => {
  await fixture?.close();
});

/** `count` deliveries recorded as held by `jobId`, due a minute ago, so past the sweeper's grace. */
async function dueDeliveries(name: string, count: number, jobId: string) {
  const ids = await pendingDeliveries(database, name, count, jobId);
  await database.db.delivery.updateMany({
    where: { id: { in: ids } },
    data: { nextAttemptAt: new Date(Date.now() - 60_000) },
  });
  return ids;
}

const queued = async (jobId: string) => (await producer.queues[0]!.getJob(jobId)) !== undefined;

describe("sweepDueDeliveries", () => {
  it("leaves first attempts to their queued first-attempts job, and enqueues them once it is gone", async () => {
    const jobId = firstAttemptsJobId();
    const ids = await dueDeliveries("held", 3, jobId);
    const rows = await database.db.delivery.findMany({
      where: { id: { in: ids } },
      select: { endpointId: true, id: true },
    });
    await producer.addFirstAttempts(
      jobId,
      rows.map((row) => ({ deliveryId: row.id, endpointId: row.endpointId })),
    );

    expect(await sweepDueDeliveries(database.db, producer, logger)).toBe(0);
    for (const id of ids) expect(await queued(scheduledAttemptJobId(id, 1))).toBe(false);

    // The job is lost (Redis flushed, or failed for good): each delivery gets a job of its own.
    await producer.queues[0]!.remove(jobId);
    expect(await sweepDueDeliveries(database.db, producer, logger)).toBe(3);
    for (const id of ids) expect(await queued(scheduledAttemptJobId(id, 1))).toBe(true);
  });

  it("leaves alone a delivery whose own job waits in the delayed set, as one does between its job's retries", async () => {
    const [id] = await dueDeliveries("backing off", 1, firstAttemptsJobId());
    const jobId = scheduledAttemptJobId(id!, 1);
    await producer.queues[0]!.add("scheduled-attempt", { deliveryId: id!, attempt: 1 }, { jobId, delay: 60_000 });
    expect(await sweepDueDeliveries(database.db, producer, logger)).toBe(0);
    expect(await producer.queues[0]!.getJobState(jobId)).toBe("delayed");
  });

  it("reaches a lost delivery behind more deliveries held back by their endpoint than one sweep reads", async () => {
    // A hanging endpoint's backlog: each delivery refused by its cap and handed to the scheduler, as the worker does.
    const waiting = await dueDeliveries("held back", SWEEP_BATCH + 1, firstAttemptsJobId());
    await postponeDeliveries(
      database.pool,
      waiting.map((deliveryId) => ({ deliveryId, delayMs: 60_000 })),
    );
    // And one delivery, newer than all of them, whose job was lost.
    const [lost] = await dueDeliveries("lost", 1, firstAttemptsJobId());

    expect(await sweepDueDeliveries(database.db, producer, logger)).toBe(1);
    expect(await queued(scheduledAttemptJobId(lost!, 1))).toBe(true);
    expect(await queued(scheduledAttemptJobId(waiting[0]!, 1))).toBe(false);
  });

  it("leaves a retry that no job names to the scheduler, and enqueues one whose due-attempts job is lost", async () => {
    const [waiting, claimed] = await dueDeliveries("retrying", 2, firstAttemptsJobId());
    // Both first attempts failed: one retry waits for the scheduler, the other was claimed by a job since lost.
    await database.db.delivery.update({
      where: { id: waiting! },
      data: { scheduledAttempts: 1, attemptCount: 1, nextAttemptJob: null },
    });
    await database.db.delivery.update({
      where: { id: claimed! },
      data: { scheduledAttempts: 1, attemptCount: 1, nextAttemptJob: dueAttemptsJobId() },
    });

    expect(await sweepDueDeliveries(database.db, producer, logger)).toBe(1);
    expect(await queued(scheduledAttemptJobId(claimed!, 2))).toBe(true);
    expect(await queued(scheduledAttemptJobId(waiting!, 2))).toBe(false);
  });
});
