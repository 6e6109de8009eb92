// The backlog as the System page and the metrics read it, from the
// deliveries' own rows in a real database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDeliveryBacklog, refreshBacklogGauges } from "../../lib/deliveries/backlog";
import { getMetrics } from "../../lib/platform/metrics";
import { firstAttemptsJobId } from "../../lib/queue/jobs";
import { pendingDeliveries } from "../support/queue-fixture";
import { createTestDatabase, type TestDatabase } from "../support/services";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const secondsAgo = (seconds: number) => new Date(Date.now() - seconds * 1000);

describe("readDeliveryBacklog", () => {
  it("counts due and scheduled deliveries, and how long the oldest due one has waited", async () => {
    const { db } = database;
    expect(await readDeliveryBacklog(db)).toEqual({ due: 0, oldestDueSeconds: 0, scheduled: 0 });

    const [late, due, retry, done] = await pendingDeliveries(database, "backlog", 4, firstAttemptsJobId());
    const at = async (id: string | undefined, nextAttemptAt: Date, status: "pending" | "succeeded" = "pending") =>
      db.delivery.update({ where: { id }, data: { nextAttemptAt, status } });
    await at(late, secondsAgo(90));
    await at(due, secondsAgo(5));
    await at(retry, secondsAgo(-3600));
    // Settled, though its row still holds a past time: not waiting.
    await at(done, secondsAgo(600), "succeeded");

    const backlog = await readDeliveryBacklog(db);
    expect(backlog.due).toBe(2);
    expect(backlog.scheduled).toBe(1);
    expect(backlog.oldestDueSeconds).toBeGreaterThanOrEqual(90);
    expect(backlog.oldestDueSeconds).toBeLessThan(120);

    await refreshBacklogGauges(db);
    const metrics = getMetrics();
    expect((await metrics.deliveriesDue.get()).values[0]?.value).toBe(2);
    expect((await metrics.retriesScheduled.get()).values[0]?.value).toBe(1);

    // Only a retry ahead: nothing is late.
    await db.delivery.updateMany({ where: { id: { in: [late!, due!] } }, data: { status: "succeeded" } });
    expect(await readDeliveryBacklog(db)).toEqual({ due: 0, oldestDueSeconds: 0, scheduled: 1 });
  });
});
