// The worker's batched statements against a real database: one statement
// records many attempts with the same effect as recording them one by one,
// including each endpoint's failure streak, a delivery that appears twice,
// the schedule step only its holder may move, and the lock order that keeps
// two statements over the same deliveries from deadlocking.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../lib/apps/apps";
import { decideAttempt, decideHeld, type Trigger } from "../../lib/deliveries/attempt-outcome";
import {
  createAttemptStore,
  type DecidedAttempt,
  loadDeliveries,
  recordRoutines,
  type RoutineRecord,
} from "../../lib/deliveries/attempt-store";
import { createEndpoint } from "../../lib/endpoints/endpoints";
import { ingestEvents } from "../../lib/events/events";
import { explicitSchedule } from "../../lib/deliveries/retry-schedule";
import { newId } from "../../lib/platform/ids";
import { createTestDatabase, waitFor, type TestDatabase } from "../support/services";

let database: TestDatabase;
const policy = { allowPrivate: true, allowedCidrs: [] };

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

/** An app with `endpoints` endpoints and one pending delivery per endpoint and event. */
async function setUp(name: string, endpoints: number, events: number) {
  const app = await createApp(database.db, { name });
  const created = [];
  for (let index = 0; index < endpoints; index++) {
    created.push(
      await createEndpoint(
        database.db,
        app.id,
        { url: `http://127.0.0.1:9/${name}/${index}`, description: "", eventTypes: [], rateLimit: null },
        policy,
      ),
    );
  }
  const results = await ingestEvents(
    database.db,
    Array.from({ length: events }, (_, n) => ({
      app,
      input: { eventType: "thing.happened", payload: { n } },
      idempotencyKey: undefined,
    })),
  );
  const deliveries = await database.db.delivery.findMany({
    where: { eventId: { in: results.map((result) => result.event.id) } },
  });
  return { app, endpoints: created, deliveries };
}

const at = (second: number) => new Date(Date.UTC(2026, 10, 23, 12, 0, second));

function record(
  delivery: { id: string; endpointId: string },
  options: { succeeded: boolean; second: number; attemptNumber?: number },
): RoutineRecord {
  const succeeded = options.succeeded;
  return {
    attempt: {
      id: newId("attempt"),
      deliveryId: delivery.id,
      endpointId: delivery.endpointId,
      responseStatusCode: succeeded ? 200 : 500,
      responseBody: succeeded ? "ok" : "boom",
      error: null,
      errorDetail: null,
      durationMs: 3,
      succeeded,
      requestHeaders: { "webhook-id": "msg_x" },
      traceId: null,
      createdAt: at(options.second),
    },
    attemptNumber: options.attemptNumber ?? 1,
    outcome: succeeded ? "succeeded" : "retry",
    next: succeeded ? undefined : at(options.second + 60),
  };
}

describe("loadDeliveries", () => {
  it("loads many deliveries with their endpoint and event in one statement, in the order asked", async () => {
    const { endpoints, deliveries } = await setUp("load", 2, 2);
    const ids = [deliveries[3]!.id, "dlv_missing", deliveries[0]!.id];
    const loaded = await loadDeliveries(database.hotPathPool, ids);
    expect(loaded.map((delivery) => delivery?.id)).toEqual([deliveries[3]!.id, undefined, deliveries[0]!.id]);
    const first = loaded[0]!;
    expect(first.status).toBe("pending");
    expect(first.endpoint.url).toBe(endpoints.find((endpoint) => endpoint.id === first.endpointId)!.url);
    expect(first.event.eventType).toBe("thing.happened");
  });
});

describe("recordRoutines", () => {
  it("records every attempt and moves each delivery once, as recording them one by one would", async () => {
    const { deliveries } = await setUp("record", 1, 3);
    const [a, b, c] = deliveries;
    const ids = [a!.id, b!.id, c!.id];
    await database.db.delivery.updateMany({ where: { id: { in: ids } }, data: { nextAttemptJob: "first-held" } });
    const moved = await recordRoutines(database.hotPathPool, [
      record(a!, { succeeded: true, second: 1 }),
      record(b!, { succeeded: false, second: 2 }),
      // c's first step was already taken by another run: its attempt is recorded, nothing moves.
      record(c!, { succeeded: true, second: 3, attemptNumber: 1 }),
    ]);
    expect(moved).toEqual([true, true, true]);
    const again = await recordRoutines(database.hotPathPool, [
      record(c!, { succeeded: true, second: 4, attemptNumber: 1 }),
    ]);
    expect(again).toEqual([false]);

    const rows = await database.db.delivery.findMany({ where: { id: { in: ids } } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(a!.id)).toMatchObject({ status: "succeeded", attemptCount: 1, scheduledAttempts: 1 });
    // The retry names no job any more: the scheduler claims it when due.
    expect(byId.get(b!.id)).toMatchObject({
      status: "pending",
      attemptCount: 1,
      scheduledAttempts: 1,
      nextAttemptAt: at(62),
      nextAttemptJob: null,
      lastStatusCode: 500,
      firstAttemptAt: at(2),
    });
    expect(byId.get(c!.id)).toMatchObject({ status: "succeeded", attemptCount: 2, scheduledAttempts: 1 });
    expect(byId.get(a!.id)!.nextAttemptJob).toBe("first-held");
    expect(await database.db.attempt.count({ where: { deliveryId: { in: ids } } })).toBe(4);
  });

  it("records a delivery that appears twice in one batch twice, and lets only one of them move it", async () => {
    const { deliveries } = await setUp("twice", 1, 1);
    const delivery = deliveries[0]!;
    const moved = await recordRoutines(database.hotPathPool, [
      record(delivery, { succeeded: false, second: 1 }),
      record(delivery, { succeeded: false, second: 2 }),
    ]);
    expect(moved.filter(Boolean)).toHaveLength(1);
    const row = await database.db.delivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(row).toMatchObject({ attemptCount: 2, scheduledAttempts: 1, status: "pending" });
    expect(await database.db.attempt.count({ where: { deliveryId: delivery.id } })).toBe(2);
  });

  it("leaves each endpoint's failure streak as one-by-one recording would", async () => {
    // Endpoint 0: fail, success, fail -> failing since the last failure.
    // Endpoint 1: fail, fail -> failing since the first.
    // Endpoint 2: already failing since second 0, then a success -> not failing.
    // Endpoint 3: already failing since second 0, then a failure -> still since second 0.
    // Endpoint 4: fail, then success -> not failing.
    const { endpoints, deliveries } = await setUp("streaks", 5, 3);
    await database.db.endpoint.updateMany({
      where: { id: { in: [endpoints[2]!.id, endpoints[3]!.id] } },
      data: { failingSince: at(0) },
    });
    const of = (endpoint: number, event: number) =>
      deliveries.filter((delivery) => delivery.endpointId === endpoints[endpoint]!.id)[event]!;
    await recordRoutines(database.hotPathPool, [
      record(of(0, 0), { succeeded: false, second: 1 }),
      record(of(0, 1), { succeeded: true, second: 2 }),
      record(of(0, 2), { succeeded: false, second: 3 }),
      record(of(1, 0), { succeeded: false, second: 4 }),
      record(of(1, 1), { succeeded: false, second: 5 }),
      record(of(2, 0), { succeeded: true, second: 6 }),
      record(of(3, 0), { succeeded: false, second: 7 }),
      record(of(4, 1), { succeeded: true, second: 9 }),
      record(of(4, 0), { succeeded: false, second: 8 }),
    ]);
    const rows = await database.db.endpoint.findMany({ where: { appId: endpoints[0]!.appId } });
    const failingSince = endpoints.map((endpoint) => rows.find((row) => row.id === endpoint.id)!.failingSince);
    expect(failingSince).toEqual([at(3), at(4), null, at(0), null]);
  });

  it("does not wait for an open ingestion that names the same endpoint", async () => {
    const { endpoints, deliveries } = await setUp("no-wait", 1, 1);
    const ingestion = await database.hotPathPool.connect();
    try {
      // What inserting a delivery holds on its endpoint until commit: the foreign key's lock.
      await ingestion.query("BEGIN");
      await ingestion.query("SELECT 1 FROM endpoints WHERE id = $1 FOR KEY SHARE", [endpoints[0]!.id]);
      // A failure starts the endpoint's streak, so the statement locks the endpoint's row.
      const recording = recordRoutines(database.hotPathPool, [record(deliveries[0]!, { succeeded: false, second: 1 })]);
      const outcome = await Promise.race([
        recording,
        new Promise<"waited">((resolve) => setTimeout(() => resolve("waited"), 3_000)),
      ]);
      expect(outcome).toEqual([true]);
    } finally {
      await ingestion.query("ROLLBACK");
      ingestion.release();
    }
    const endpoint = await database.db.endpoint.findUniqueOrThrow({ where: { id: endpoints[0]!.id } });
    expect(endpoint.failingSince).toEqual(at(1));
  });
});

describe("recordRoutines and concurrent statements", () => {
  it("locks deliveries in id order, so two statements given them in opposite orders cannot deadlock", async () => {
    const { deliveries } = await setUp("lock-order", 1, 2);
    const [lower, higher] = [...deliveries].sort((a, b) => (a.id < b.id ? -1 : 1));
    const waitingOnLocks = (count: number) =>
      waitFor(`${count} statements waiting on a row lock`, async () => {
        const { rows } = await database.pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        return rows[0]!.n >= count ? true : undefined;
      });
    const holder = await database.hotPathPool.connect();
    try {
      // Holding the lower id catches both statements mid-way.
      await holder.query("BEGIN");
      await holder.query("SELECT 1 FROM deliveries WHERE id = $1 FOR NO KEY UPDATE", [lower!.id]);
      const inOrder = recordRoutines(database.hotPathPool, [
        record(lower!, { succeeded: true, second: 1 }),
        record(higher!, { succeeded: true, second: 1 }),
      ]);
      await waitingOnLocks(1);
      // A duplicate job's statement, given the higher id first. Locked in
      // input order, it would hold the higher row while waiting for the
      // lower one, which the first statement takes next, and both would wait.
      const reversed = recordRoutines(database.hotPathPool, [
        record(higher!, { succeeded: true, second: 2 }),
        record(lower!, { succeeded: true, second: 2 }),
      ]);
      await waitingOnLocks(2);
      await holder.query("COMMIT");
      // PostgreSQL breaks a deadlock by failing one statement (40P01).
      const settled = await Promise.allSettled([inOrder, reversed]);
      expect(settled.map((result) => (result.status === "fulfilled" ? result.value : String(result.reason)))).toEqual([
        [true, true],
        [false, false],
      ]);
    } finally {
      holder.release();
    }
  });
});

describe("createAttemptStore", () => {
  it("answers each of many concurrent calls with its own result", async () => {
    const { deliveries } = await setUp("store", 2, 20);
    const store = createAttemptStore(database.hotPathPool);
    const loaded = await Promise.all(deliveries.map((delivery) => store.load(delivery.id)));
    expect(loaded.map((delivery) => delivery?.id)).toEqual(deliveries.map((delivery) => delivery.id));
    const moved = await Promise.all(
      deliveries.map((delivery, index) =>
        store.recordRoutine(record(delivery, { succeeded: index % 2 === 0, second: index })),
      ),
    );
    expect(moved.every(Boolean)).toBe(true);
    const statuses = await database.db.delivery.groupBy({
      by: ["status"],
      where: { id: { in: deliveries.map((delivery) => delivery.id) } },
      _count: true,
    });
    expect(Object.fromEntries(statuses.map((group) => [group.status, group._count]))).toEqual({
      succeeded: 20,
      pending: 20,
    });
  });
});

describe("the store's transactions: attempts that exhaust, disable or were asked for, and expiries", () => {
  const rules = {
    schedule: explicitSchedule([60_000]),
    config: { OVERLOAD_MIN_DELAY: 0, ENDPOINT_DISABLE_AFTER: 86_400_000 },
    // No jitter: a retry comes exactly a minute later.
    random: () => 0.5,
  };

  /** An attempt answered `statusCode`, decided as the worker decides it. */
  function decided(
    delivery: { id: string; appId: string; eventId: string; endpointId: string; attemptCount: number },
    options: { statusCode: number; second: number; trigger?: Trigger; attemptNumber?: number; failingSince?: Date },
  ): DecidedAttempt {
    const trigger = options.trigger ?? "scheduled";
    const attemptNumber = trigger === "scheduled" ? (options.attemptNumber ?? 1) : null;
    const routine = record(delivery, { succeeded: options.statusCode < 300, second: options.second });
    return {
      attempt: {
        ...routine.attempt,
        responseStatusCode: options.statusCode,
        trigger,
        triggeredBy: trigger === "manual" ? "someone@example.com" : null,
      },
      attemptNumber,
      decision: decideAttempt(
        {
          trigger,
          attemptNumber: attemptNumber ?? undefined,
          delivery: {
            attemptCount: delivery.attemptCount,
            firstAttemptAt: null,
            endpoint: { failingSince: options.failingSince ?? null },
          },
          result: { statusCode: options.statusCode, durationMs: 3 },
          startedAt: at(options.second),
          finishedAt: at(options.second),
        },
        rules,
      ),
      delivery: { ...delivery, url: "http://127.0.0.1:9/unused" },
    };
  }

  const operationalEvents = (appId: string) =>
    database.db.operationalEvent.findMany({ where: { appId }, orderBy: { id: "asc" } });

  it("fails a delivery at its schedule's last step with one delivery.exhausted event, however often it is recorded", async () => {
    const { app, endpoints, deliveries } = await setUp("exhausted", 1, 1);
    const store = createAttemptStore(database.hotPathPool, database.db);
    const delivery = deliveries[0]!;
    const last = decided(delivery, { statusCode: 500, second: 1, attemptNumber: 2 });
    await database.db.delivery.update({ where: { id: delivery.id }, data: { scheduledAttempts: 1, heldSince: at(0) } });
    expect(await store.record(last)).toMatchObject({ moved: true, disabled: false });
    expect(await store.record({ ...last, attempt: { ...last.attempt, id: newId("attempt") } })).toEqual({
      moved: false,
      disabled: false,
      operationalEvents: [],
    });
    expect(await database.db.delivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({
      status: "failed",
      scheduledAttempts: 2,
      attemptCount: 2,
      nextAttemptAt: null,
      heldSince: null,
    });
    const events = await operationalEvents(app.id);
    expect(events.map((event) => [event.type, event.payload])).toEqual([
      [
        "delivery.exhausted",
        {
          deliveryId: delivery.id,
          eventId: delivery.eventId,
          endpointId: endpoints[0]!.id,
          attempts: 1,
          lastStatus: "5xx",
        },
      ],
    ]);
    const endpoint = await database.db.endpoint.findUniqueOrThrow({ where: { id: endpoints[0]!.id } });
    expect(endpoint.failingSince).toEqual(at(1));
  });

  it("disables an endpoint whose failure streak lasted ENDPOINT_DISABLE_AFTER, once, and still schedules the retry", async () => {
    const { app, endpoints, deliveries } = await setUp("disable", 1, 2);
    const store = createAttemptStore(database.hotPathPool, database.db);
    await database.db.endpoint.update({ where: { id: endpoints[0]!.id }, data: { failingSince: at(0) } });
    const since = new Date(at(0).getTime() - 86_400_000);
    const [first, second] = deliveries.map((delivery, index) =>
      decided(delivery, { statusCode: 503, second: index + 1, failingSince: since }),
    );
    expect(await store.record(first!)).toMatchObject({ moved: true, disabled: true });
    expect(await store.record(second!)).toEqual({ moved: true, disabled: false, operationalEvents: [] });
    const endpoint = await database.db.endpoint.findUniqueOrThrow({ where: { id: endpoints[0]!.id } });
    expect(endpoint).toMatchObject({
      disabled: true,
      disabledAt: at(1),
      disabledReason: `failing since ${since.toISOString()} (last error: 5xx)`,
      failingSince: at(0),
    });
    const events = await operationalEvents(app.id);
    expect(events.map((event) => event.type)).toEqual(["endpoint.disabled"]);
    const row = await database.db.delivery.findUniqueOrThrow({ where: { id: deliveries[0]!.id } });
    expect(row).toMatchObject({ status: "pending", scheduledAttempts: 1, nextAttemptAt: at(61) });
  });

  it("records a manual attempt without moving the schedule, and settles the delivery when it succeeds", async () => {
    const { deliveries } = await setUp("manual", 1, 1);
    const store = createAttemptStore(database.hotPathPool, database.db);
    const delivery = deliveries[0]!;
    await database.db.delivery.update({
      where: { id: delivery.id },
      data: { status: "failed", scheduledAttempts: 3, nextAttemptAt: null, nextAttemptJob: "job-1" },
    });
    expect(await store.record(decided(delivery, { statusCode: 500, second: 1, trigger: "manual" }))).toMatchObject({
      moved: false,
    });
    expect(await database.db.delivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({
      status: "failed",
      scheduledAttempts: 3,
      attemptCount: 1,
      lastStatusCode: 500,
    });
    expect(await store.record(decided(delivery, { statusCode: 204, second: 2, trigger: "manual" }))).toMatchObject({
      moved: true,
    });
    expect(await database.db.delivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({
      status: "succeeded",
      scheduledAttempts: 3,
      attemptCount: 2,
      nextAttemptAt: null,
      nextAttemptJob: "job-1",
      firstAttemptAt: at(1),
    });
    const attempts = await database.db.attempt.findMany({ where: { deliveryId: delivery.id }, orderBy: { id: "asc" } });
    expect(attempts.map((attempt) => [attempt.trigger, attempt.triggeredBy, attempt.succeeded])).toEqual([
      ["manual", "someone@example.com", false],
      ["manual", "someone@example.com", true],
    ]);
  });

  it("expires a held delivery once, with its delivery.exhausted event", async () => {
    const { app, deliveries } = await setUp("expire", 1, 1);
    const store = createAttemptStore(database.hotPathPool, database.db);
    const delivery = deliveries[0]!;
    const verdict = decideHeld(delivery, new Date(delivery.createdAt.getTime() + 1000), 1000);
    if (verdict.held) throw new Error("expected the delivery to have expired");
    const expiry = { delivery, failureReason: verdict.failureReason, exhaustion: verdict.exhaustion };
    const recorded = await store.expire(expiry);
    expect(recorded).toHaveLength(1);
    expect(await store.expire(expiry)).toEqual([]);
    expect(await database.db.delivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({
      status: "failed",
      nextAttemptAt: null,
      nextAttemptJob: null,
      failureReason: verdict.failureReason,
    });
    const events = await operationalEvents(app.id);
    expect(events.map((event) => [event.id, event.type])).toEqual([[recorded[0], "delivery.exhausted"]]);
  });

  it("fails a pending delivery whose endpoint is disabled, and leaves a settled one", async () => {
    const { deliveries } = await setUp("disabled-endpoint", 1, 2);
    const store = createAttemptStore(database.hotPathPool, database.db);
    const [pending, settled] = deliveries;
    await database.db.delivery.update({ where: { id: settled!.id }, data: { status: "succeeded" } });
    await store.failForDisabledEndpoint(pending!.id);
    await store.failForDisabledEndpoint(settled!.id);
    const rows = await database.db.delivery.findMany({ where: { id: { in: [pending!.id, settled!.id] } } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(pending!.id)).toMatchObject({ status: "failed", nextAttemptAt: null });
    expect(byId.get(settled!.id)).toMatchObject({ status: "succeeded" });
  });
});
