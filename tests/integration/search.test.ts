// The top bar's search against a real database: what each kind of key
// finds, what a portal session may find (its own app only), and that every
// look-up reaches events, deliveries and endpoints through an index.
import { Prisma } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../lib/apps/apps";
import {
  eventDeliveriesStatement,
  hitHref,
  onlyDestination,
  search,
  searchQuerySchema,
  searchStatements,
  type SearchScope,
} from "../../lib/dashboard/search";
import { createEndpoint } from "../../lib/endpoints/endpoints";
import { ingestEvent } from "../../lib/events/events";
import { createTestDatabase, type TestDatabase } from "../support/services";

let database: TestDatabase;
const policy = { allowPrivate: true, allowedCidrs: [] };
const all: SearchScope = { kind: "all" };

let acme: { id: string };
let other: { id: string };
let acmeEndpoints: Array<{ id: string }>;
/** Went to both of acme's endpoints. */
let twoDeliveries: { eventId: string; deliveryIds: string[] };
/** Went to acme's second endpoint only. */
let oneDelivery: { eventId: string; deliveryId: string };
let otherEvent: { eventId: string; deliveryId: string };

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  acme = await createApp(db, { name: "Acme", uid: "acme" });
  other = await createApp(db, { name: "Other", uid: "other" });
  const endpoint = (appId: string, path: string, eventTypes: string[]) =>
    createEndpoint(
      db,
      appId,
      { url: `http://127.0.0.1:9/${path}`, description: "", eventTypes, rateLimit: null },
      policy,
    );
  acmeEndpoints = [await endpoint(acme.id, "a", ["order.created"]), await endpoint(acme.id, "b", [])];
  await endpoint(other.id, "c", []);
  const both = await ingestEvent(db, acme, { eventType: "order.created", payload: {} }, "order-1");
  twoDeliveries = { eventId: both.event.id, deliveryIds: both.deliveryIds };
  const one = await ingestEvent(db, acme, { eventType: "order.paid", payload: {}, eventId: "their-7" }, undefined);
  oneDelivery = { eventId: one.event.id, deliveryId: one.deliveryIds[0]! };
  // The same key in another app: an operator finds both, acme's portal only its own.
  const theirs = await ingestEvent(db, other, { eventType: "order.created", payload: {} }, "order-1");
  otherEvent = { eventId: theirs.event.id, deliveryId: theirs.deliveryIds[0]! };
});

afterAll(async () => {
  await database?.drop();
});

describe("search", () => {
  it("goes straight to a delivery by its id, and to an event's only delivery by the event's id", async () => {
    const delivery = await search(database.db, twoDeliveries.deliveryIds[1]!, all);
    expect(delivery).toHaveLength(1);
    expect(onlyDestination(delivery)).toBe(`/apps/${acme.id}/deliveries/${twoDeliveries.deliveryIds[1]}`);
    const event = await search(database.db, oneDelivery.eventId, all);
    expect(event).toMatchObject([{ kind: "event", eventId: oneDelivery.eventId, matched: "event id" }]);
    expect(onlyDestination(event)).toBe(`/apps/${acme.id}/deliveries/${oneDelivery.deliveryId}`);
  });

  it("lists an event that went to several endpoints with each delivery, rather than picking one", async () => {
    const hits = await search(database.db, twoDeliveries.eventId, all);
    expect(hits).toHaveLength(1);
    expect(onlyDestination(hits)).toBeUndefined();
    const [hit] = hits;
    expect(hit?.kind === "event" && hit.deliveries.map((delivery) => delivery.id).sort()).toEqual(
      [...twoDeliveries.deliveryIds].sort(),
    );
  });

  it("finds events by idempotency key and by the sender's eventId, in every app for an operator", async () => {
    const byKey = await search(database.db, "order-1", all);
    expect(byKey.map((hit) => [hit.kind, hit.appId, hit.kind === "event" && hit.matched]).sort()).toEqual(
      [
        ["event", acme.id, "idempotency key"],
        ["event", other.id, "idempotency key"],
      ].sort(),
    );
    expect(onlyDestination(byKey)).toBeUndefined();
    // An eventId is the idempotency key when no header is given: one hit, not two.
    const byEventId = await search(database.db, "their-7", all);
    expect(byEventId).toHaveLength(1);
    expect(onlyDestination(byEventId)).toBe(`/apps/${acme.id}/deliveries/${oneDelivery.deliveryId}`);
  });

  it("finds endpoints by id and apps by id or uid", async () => {
    const endpoint = await search(database.db, acmeEndpoints[0]!.id, all);
    expect(onlyDestination(endpoint)).toBe(`/apps/${acme.id}/endpoints/${acmeEndpoints[0]!.id}`);
    expect(onlyDestination(await search(database.db, "other", all))).toBe(`/apps/${other.id}`);
    expect(onlyDestination(await search(database.db, acme.id, all))).toBe(`/apps/${acme.id}`);
  });

  it("finds nothing for a key nothing has", async () => {
    expect(await search(database.db, "no-such-key", all)).toEqual([]);
    expect(await search(database.db, "dlv_01ZZZZZZZZZZZZZZZZZZZZZZZZ", all)).toEqual([]);
  });

  it("shows a portal session only what is in its own app", async () => {
    const portal: SearchScope = { kind: "app", appId: acme.id };
    const byKey = await search(database.db, "order-1", portal);
    expect(byKey.map((hit) => hit.appId)).toEqual([acme.id]);
    for (const key of [otherEvent.eventId, otherEvent.deliveryId, other.id, "other", "acme"]) {
      expect(await search(database.db, key, portal), key).toEqual([]);
    }
    expect(await search(database.db, oneDelivery.deliveryId, portal)).toHaveLength(1);
  });

  it("refuses an empty or an overlong key, naming the field", () => {
    for (const q of ["", "   ", "x".repeat(257), "order\u0000-1"]) {
      const parsed = searchQuerySchema.safeParse({ q });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(["q"]);
    }
    expect(searchQuerySchema.parse({ q: "  order-1 " }).q).toBe("order-1");
  });

  it("leads every hit to a page the dashboard has", async () => {
    const hits = [
      ...(await search(database.db, "order-1", all)),
      ...(await search(database.db, "acme", all)),
      ...(await search(database.db, acmeEndpoints[1]!.id, all)),
    ];
    for (const hit of hits) {
      const href = hitHref(hit);
      if (href !== undefined) expect(href).toMatch(/^\/apps\/app_\w+(\/(endpoints|deliveries)\/(ep|dlv)_\w+)?$/);
    }
  });
});

describe("search's plans", () => {
  /** Tables a search reads through an index only, however many rows they hold. */
  const INDEXED = ["events", "deliveries", "endpoints"];

  async function plan(statement: Prisma.Sql): Promise<string> {
    // Sequential scans priced out: where PostgreSQL still picks one, no index can serve the look-up.
    return database.db.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
      const rows = await tx.$queryRaw<Array<{ "QUERY PLAN": string }>>(Prisma.sql`EXPLAIN ${statement}`);
      return rows.map((row) => row["QUERY PLAN"]).join("\n");
    });
  }

  it("reaches events, deliveries and endpoints by index for every kind of key, in every scope", async () => {
    const keys = [twoDeliveries.eventId, twoDeliveries.deliveryIds[0]!, acmeEndpoints[0]!.id, acme.id, "order-1"];
    for (const scope of [all, { kind: "app" as const, appId: acme.id }]) {
      for (const key of keys) {
        const statements = Object.entries(searchStatements(key, scope));
        statements.push(["eventDeliveries", eventDeliveriesStatement([twoDeliveries.eventId])]);
        for (const [kind, statement] of statements) {
          if (!statement) continue;
          const text = await plan(statement);
          for (const table of INDEXED) {
            expect(text, `${kind} for ${key} (${scope.kind}):\n${text}`).not.toMatch(
              new RegExp(`Seq Scan on ${table}\\b`),
            );
          }
        }
      }
    }
  });
});
