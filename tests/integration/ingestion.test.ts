// Batched ingestion against a real database: one call stores many events for
// several apps, fans each out to its subscribers, and honours idempotency
// keys within the batch and across batches.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../lib/apps/apps";
import { createEndpoint } from "../../lib/endpoints/endpoints";
import type { SqlRunner } from "../../lib/platform/db";
import { EventsRefusedError, ingestEvents, type IngestRequest } from "../../lib/events/events";
import { writeApart, type IngestionRequest } from "../../lib/events/ingestion";
import { idAt } from "../../lib/platform/ids";
import { createTestDatabase, type TestDatabase } from "../support/services";

let database: TestDatabase;
const policy = { allowPrivate: true, allowedCidrs: [] };

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

async function appWith(name: string, subscriptions: string[][]) {
  const app = await createApp(database.db, { name });
  const endpoints = [];
  for (const [index, eventTypes] of subscriptions.entries()) {
    endpoints.push(
      await createEndpoint(
        database.db,
        app.id,
        { url: `http://127.0.0.1:9/${name}/${index}`, description: "", eventTypes, rateLimit: null },
        policy,
      ),
    );
  }
  return { app, endpoints };
}

// The API runs it on the pool itself; scripts and tests through Prisma.
describe.each<[string, () => SqlRunner]>([
  ["on the pool", () => database.pool],
  ["through Prisma", () => database.db],
])("ingestEvents %s", (via, runner) => {
  it("stores a batch for several apps, each event with a delivery per subscribed, enabled endpoint", async () => {
    const db = database.db;
    const shop = await appWith(`shop ${via}`, [[], ["order.paid"], ["user.created"]]);
    const blog = await appWith(`blog ${via}`, [["post.published"], []]);
    await db.endpoint.update({ where: { id: blog.endpoints[1]!.id }, data: { disabled: true } });
    const requests: IngestRequest[] = [
      { app: shop.app, input: { eventType: "order.paid", payload: { n: 1 } }, idempotencyKey: undefined },
      { app: blog.app, input: { eventType: "post.published", payload: { n: 2 } }, idempotencyKey: undefined },
      { app: shop.app, input: { eventType: "user.created", payload: { n: 3 } }, idempotencyKey: undefined },
      { app: blog.app, input: { eventType: "comment.added", payload: { n: 4 } }, idempotencyKey: undefined },
    ];
    const before = new Date();
    const results = await ingestEvents(runner(), requests);
    const after = new Date();
    expect(results.map((result) => result.created)).toEqual([true, true, true, true]);
    expect(results.map((result) => (JSON.parse(result.event.payload) as { n: number }).n)).toEqual([1, 2, 3, 4]);
    const endpointsOf = async (eventId: string) =>
      (await db.delivery.findMany({ where: { eventId }, orderBy: { endpointId: "asc" } })).map((d) => d.endpointId);
    expect(await endpointsOf(results[0]!.event.id)).toEqual([shop.endpoints[0]!.id, shop.endpoints[1]!.id]);
    expect(await endpointsOf(results[1]!.event.id)).toEqual([blog.endpoints[0]!.id]);
    expect(await endpointsOf(results[2]!.event.id)).toEqual([shop.endpoints[0]!.id, shop.endpoints[2]!.id]);
    expect(await endpointsOf(results[3]!.event.id)).toEqual([]);
    // The ids handed back are the rows written, so the jobs queued for them find their deliveries.
    for (const result of results) {
      const stored = await db.delivery.findMany({ where: { eventId: result.event.id } });
      expect(stored.map((d) => d.id).sort()).toEqual([...result.deliveryIds].sort());
      const event = await db.event.findUniqueOrThrow({ where: { id: result.event.id } });
      expect(event.payload).toEqual(result.event.payload);
      expect(event.appId).toBe(requests[results.indexOf(result)]!.app.id);
    }
    // Named by the statement itself, still as ids that sort by creation time.
    const deliveryIds = results.flatMap((result) => result.deliveryIds);
    expect(new Set(deliveryIds).size).toBe(deliveryIds.length);
    for (const id of deliveryIds) {
      expect(id).toMatch(/^dlv_[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(id >= idAt("delivery", before, "start") && id <= idAt("delivery", after, "end")).toBe(true);
    }
  });

  it("gives requests repeating a key, in the batch or of an earlier event, that event and no deliveries", async () => {
    const db = database.db;
    const { app } = await appWith(`keys ${via}`, [[]]);
    const other = await appWith(`other ${via}`, [[]]);
    const [earlier] = await ingestEvents(runner(), [
      { app, input: { eventType: "a", payload: { first: true } }, idempotencyKey: "key-1" },
    ]);
    const results = await ingestEvents(runner(), [
      { app, input: { eventType: "a", payload: { again: true } }, idempotencyKey: "key-1" },
      { app, input: { eventType: "a", payload: { n: 1 }, eventId: "ext-1" }, idempotencyKey: undefined },
      { app, input: { eventType: "a", payload: { n: 2 }, eventId: "ext-1" }, idempotencyKey: undefined },
      // The same key in another app names another event.
      { app: other.app, input: { eventType: "a", payload: { n: 3 } }, idempotencyKey: "key-1" },
      { app, input: { eventType: "a", payload: { n: 4 } }, idempotencyKey: undefined },
    ]);
    expect(results.map((result) => result.created)).toEqual([false, true, false, true, true]);
    expect(results[0]!.event.id).toBe(earlier!.event.id);
    expect(results[0]!.event.payload).toBe(`{"first":true}`);
    expect(results[2]!.event.id).toBe(results[1]!.event.id);
    expect(results[3]!.event.id).not.toBe(earlier!.event.id);
    expect(results[0]!.deliveryIds).toEqual([]);
    expect(results[2]!.deliveryIds).toEqual([]);
    expect(await db.event.count({ where: { appId: app.id } })).toBe(3);
    expect(await db.delivery.count({ where: { appId: app.id } })).toBe(3);
  });
});

describe("writeApart (the web process's batches)", () => {
  it("writes every other request of a batch PostgreSQL refuses for one of them, each once", async () => {
    const { app } = await appWith("apart", [[]]);
    // A refusal only this one request's data causes, as a constraint or a type's limit would.
    await database.pool.query(`ALTER TABLE events ADD CONSTRAINT test_no_poison CHECK (payload NOT LIKE '%poison%')`);
    try {
      const request = (payload: string, idempotencyKey?: string): IngestionRequest => ({
        app,
        input: { eventType: "a", payload },
        idempotencyKey,
        trace: undefined,
      });
      const requests = [
        ...Array.from({ length: 12 }, (_, n) => request(`{"n":${n}}`)),
        request(`{"keyed":true}`, "key-apart"),
        request(`{"repeated":true}`, "key-apart"),
      ];
      requests.splice(5, 0, request(`{"poison":true}`));
      const outcomes = await writeApart(database.pool, requests, "job-apart");

      const refused = outcomes[5]!;
      expect("error" in refused && refused.error).toBeInstanceOf(EventsRefusedError);
      const written = outcomes.filter((outcome) => "result" in outcome);
      expect(written).toHaveLength(requests.length - 1);
      const stored = await database.db.event.findMany({ where: { appId: app.id } });
      expect(stored.map((event) => event.payload).sort()).toEqual(
        [...Array.from({ length: 12 }, (_, n) => `{"n":${n}}`), `{"keyed":true}`].sort(),
      );
      // The request repeating a key got the event its first holder wrote.
      const [keyed, repeated] = outcomes.slice(-2).map((outcome) => ("result" in outcome ? outcome.result : undefined));
      expect(repeated!.event.id).toBe(keyed!.event.id);
      expect([keyed!.created, repeated!.created]).toEqual([true, false]);
    } finally {
      await database.pool.query(`ALTER TABLE events DROP CONSTRAINT test_no_poison`);
    }
  });

  it("fails the whole batch, unsplit, when the database itself fails", async () => {
    const { app } = await appWith("unreachable", [[]]);
    const unreachable = new pg.Pool({ connectionString: "postgresql://postgres@127.0.0.1:1/none" });
    try {
      const requests = [1, 2].map((n) => ({
        app,
        input: { eventType: "a", payload: `{"n":${n}}` },
        idempotencyKey: undefined,
        trace: undefined,
      }));
      await expect(writeApart(unreachable, requests, "job-down")).rejects.toMatchObject({ code: "ECONNREFUSED" });
    } finally {
      await unreachable.end();
    }
  });
});
