// The endpoints overview's figures against a real database: 24-hour counts
// and success rate, the hourly chart and the last attempt, per endpoint,
// unaffected by other endpoints' attempts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../lib/apps/apps";
import { CHART_HOURS, listEndpointOverviews } from "../../lib/dashboard/endpoints";
import { rollUpAttemptHours } from "../../lib/deliveries/attempt-hours";
import { createEndpoint } from "../../lib/endpoints/endpoints";
import { ingestEvent } from "../../lib/events/events";
import { idAt } from "../../lib/platform/ids";
import { createPartitions } from "../../lib/retention/partitions";
import { createTestDatabase, type TestDatabase } from "../support/services";

let database: TestDatabase;
const policy = { allowPrivate: true, allowedCidrs: [] };
const HOUR = 60 * 60 * 1000;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe("listEndpointOverviews", () => {
  it("counts each endpoint's last 24 hours, charts them by hour and names its last attempt", async () => {
    const db = database.db;
    const now = new Date(Date.UTC(2026, 10, 23, 12, 30));
    const app = await createApp(db, { name: "overview" });
    const make = (n: number) =>
      createEndpoint(
        db,
        app.id,
        { url: `http://127.0.0.1:9/${n}`, description: "", eventTypes: [], rateLimit: null },
        policy,
      );
    const busy = await make(0);
    const quiet = await make(1);
    const idle = await make(2);
    const { deliveryIds } = await ingestEvent(db, app, { eventType: "a", payload: {} }, undefined);
    const deliveryOf = async (endpointId: string) =>
      (await db.delivery.findFirstOrThrow({ where: { id: { in: deliveryIds }, endpointId } })).id;
    let sequence = 0;
    // Rows made days ago go to those days' partitions, which a new database does not have yet.
    await createPartitions(database.pool, new Date(now.getTime() - 3 * 24 * HOUR), now);
    const attempt = async (endpointId: string, hoursAgo: number, status: number | null) => {
      const at = new Date(now.getTime() - hoursAgo * HOUR + sequence++ * 1000);
      await db.attempt.create({
        data: {
          id: idAt("attempt", at, "start"),
          deliveryId: await deliveryOf(endpointId),
          endpointId,
          trigger: "scheduled",
          responseStatusCode: status,
          error: status === null ? "timeout" : null,
          durationMs: 5,
          succeeded: status !== null && status < 300,
          requestHeaders: {},
          createdAt: at,
        },
      });
    };
    // Busy: one attempt two days ago (outside the window), three inside, the newest a timeout.
    await attempt(busy.id, 48, 200);
    await attempt(busy.id, 5, 200);
    await attempt(busy.id, 5, 500);
    await attempt(busy.id, 1, null);
    // Quiet: only the attempt of two days ago.
    await attempt(quiet.id, 47, 503);

    // The same figures whether the hours are counted or read as the maintenance added them up.
    const counted = (await listEndpointOverviews(db, app.id, now)).data;
    const client = await database.pool.connect();
    try {
      expect(await rollUpAttemptHours(client, now)).toBe(48);
      expect(await rollUpAttemptHours(client, now)).toBe(0);
    } finally {
      client.release();
    }
    const { data } = await listEndpointOverviews(db, app.id, now);
    expect(data).toEqual(counted);
    const byId = new Map(data.map((overview) => [overview.id, overview]));

    const busyView = byId.get(busy.id)!;
    expect(busyView).toMatchObject({ attempts24h: 3, succeeded24h: 1, successRate24h: 1 / 3 });
    expect(busyView.lastAttempt).toMatchObject({ statusCode: null, error: "timeout", succeeded: false });
    expect(busyView.chart).toHaveLength(CHART_HOURS);
    const charted = busyView.chart.filter((bucket) => bucket.succeeded + bucket.failed > 0);
    expect(charted.map(({ succeeded, failed }) => ({ succeeded, failed }))).toEqual([
      { succeeded: 1, failed: 1 },
      { succeeded: 0, failed: 1 },
    ]);

    expect(byId.get(quiet.id)).toMatchObject({ attempts24h: 0, successRate24h: null });
    expect(byId.get(quiet.id)!.lastAttempt).toMatchObject({ statusCode: 503, succeeded: false });
    expect(byId.get(idle.id)).toMatchObject({ attempts24h: 0, lastAttempt: null });

    // Attempts made since the hours were added up count as well.
    await attempt(idle.id, 0.1, 200);
    await attempt(busy.id, 0.1, 500);
    const later = new Map((await listEndpointOverviews(db, app.id, now)).data.map((overview) => [overview.id, overview]));
    expect(later.get(idle.id)).toMatchObject({ attempts24h: 1, succeeded24h: 1 });
    expect(later.get(busy.id)).toMatchObject({ attempts24h: 4, succeeded24h: 1 });
    expect(later.get(busy.id)!.chart.at(-1)).toMatchObject({ succeeded: 0, failed: 1 });
  });
});
