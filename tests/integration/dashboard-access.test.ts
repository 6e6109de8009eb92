// Authorization of the dashboard's reads and commands at the data-access
// level, against a real database: another app's ids are "not found", a
// viewer's changes are refused with 403, portal links work once and expire,
// and sign-in is rate limited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Caller } from "../../lib/auth/caller";
import { signIn } from "../../lib/auth/login-limit";
import { createPortalAccess, peekPortalLink, portalSessionApp, redeemPortalLink } from "../../lib/auth/portal";
import { checkCredentials, createUser, ensureFirstAdmin } from "../../lib/auth/users";
import { previewReplay, replayFailed } from "../../lib/deliveries/replay";
import { retryDelivery } from "../../lib/deliveries/retry";
import {
  createEndpoint as createEndpointAs,
  editEndpoint,
  setEndpointEnabled,
} from "../../lib/endpoints/endpoint-changes";
import { revealSecret } from "../../lib/endpoints/reveal-secret";
import { rotateSecret } from "../../lib/endpoints/rotate-secret";
import { sendTestEvent } from "../../lib/endpoints/send-test-event";
import type { UseCaseDeps } from "../../lib/platform/web-runtime";
import { getDeliveryDetail, listEndpointDeliveries } from "../../lib/dashboard/deliveries";
import { getEndpointOverview } from "../../lib/dashboard/endpoints";
import { logFilterSchema } from "../../lib/dashboard/log-filter";
import { createApp } from "../../lib/apps/apps";
import { createEndpoint } from "../../lib/endpoints/endpoints";
import { ingestEvent } from "../../lib/events/events";
import { newId } from "../../lib/platform/ids";
import { createLogger } from "../../lib/platform/logger";
import type { DeliveryProducer } from "../../lib/queue/producer";
import { createTestDatabase, type TestDatabase } from "../support/services";

let database: TestDatabase;
const queued: Array<{ kind: string; deliveryId: string; requestedBy?: string; delayMs?: number }> = [];
const producer = {
  addManual({ deliveryId }: { deliveryId: string }, requestedBy: string, options: { delayMs?: number } = {}) {
    queued.push({ kind: "manual", deliveryId, requestedBy, delayMs: options.delayMs ?? 0 });
    return Promise.resolve();
  },
  addScheduled(items: Array<{ deliveryId: string; attempt: number }>) {
    for (const item of items) queued.push({ kind: "scheduled", deliveryId: item.deliveryId });
    return Promise.resolve();
  },
} as unknown as DeliveryProducer;

const policy = { allowPrivate: true, allowedCidrs: [] };
const commands = {
  retryDelivery,
  previewReplay,
  replayFailed,
  rotateSecret,
  revealSecret,
  sendTestEvent,
  createEndpoint: createEndpointAs,
  editEndpoint,
  setEndpointEnabled,
};
let deps: UseCaseDeps;

interface Fixture {
  appId: string;
  endpointId: string;
  deliveryIds: string[];
}
let mine: Fixture;
let theirs: Fixture;

const admin: Caller = { kind: "operator", email: "admin@example.test", role: "admin" };
const viewer: Caller = { kind: "operator", email: "viewer@example.test", role: "viewer" };
let portal: Caller;

async function fixture(name: string, failedCount: number): Promise<Fixture> {
  const db = database.db;
  const app = await createApp(db, { name });
  const endpoint = await createEndpoint(
    db,
    app.id,
    { url: "http://127.0.0.1:9/hook", description: "", eventTypes: [], rateLimit: null },
    policy,
  );
  const deliveryIds: string[] = [];
  for (let i = 0; i < failedCount; i++) {
    const { deliveryIds: ids } = await ingestEvent(
      db,
      app,
      { eventType: i === 0 ? "user.created" : "invoice.paid", payload: { i } },
      undefined,
    );
    deliveryIds.push(...ids);
  }
  await db.delivery.updateMany({ where: { id: { in: deliveryIds } }, data: { status: "failed", nextAttemptAt: null } });
  return { appId: app.id, endpointId: endpoint.id, deliveryIds };
}

beforeAll(async () => {
  database = await createTestDatabase();
  deps = {
    db: database.db,
    producer,
    policy,
    logger: createLogger("web"),
    rotationOverlapMs: 60_000,
  };
  mine = await fixture("Mine", 25);
  theirs = await fixture("Theirs", 2);
  portal = { kind: "portal", appId: mine.appId };
});

afterAll(async () => {
  await database?.drop();
});

const range = () => ({
  from: new Date(Date.now() - 3_600_000).toISOString(),
  to: new Date(Date.now() + 60_000).toISOString(),
  eventTypes: [] as string[],
});

describe("another app's ids are not found", () => {
  it("for reads", async () => {
    const db = database.db;
    await expect(getDeliveryDetail(db, mine.appId, theirs.deliveryIds[0]!)).rejects.toMatchObject({ status: 404 });
    await expect(getEndpointOverview(db, mine.appId, theirs.endpointId)).rejects.toMatchObject({ status: 404 });
    await expect(
      listEndpointDeliveries(db, mine.appId, theirs.endpointId, logFilterSchema.parse({})),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("for every command, from the portal of another app or with mixed ids", async () => {
    const theirDelivery = { appId: theirs.appId, deliveryId: theirs.deliveryIds[0]! };
    const theirEndpoint = { appId: theirs.appId, endpointId: theirs.endpointId };
    const mixedDelivery = { appId: mine.appId, deliveryId: theirs.deliveryIds[0]! };
    const mixedEndpoint = { appId: mine.appId, endpointId: theirs.endpointId };
    const calls: Array<() => Promise<unknown>> = [
      () => commands.retryDelivery(deps, portal, theirDelivery),
      () => commands.retryDelivery(deps, portal, mixedDelivery),
      () => commands.retryDelivery(deps, admin, mixedDelivery),
      () => commands.rotateSecret(deps, portal, theirEndpoint),
      () => commands.rotateSecret(deps, admin, mixedEndpoint),
      () => commands.revealSecret(deps, portal, theirEndpoint),
      () => commands.revealSecret(deps, portal, mixedEndpoint),
      () => commands.sendTestEvent(deps, portal, mixedEndpoint),
      () => commands.previewReplay(deps, portal, { ...theirEndpoint, ...range() }),
      () => commands.replayFailed(deps, admin, { ...mixedEndpoint, ...range() }),
      () => commands.setEndpointEnabled(deps, portal, { ...mixedEndpoint, enabled: false }),
      () =>
        commands.editEndpoint(deps, portal, {
          ...theirEndpoint,
          url: "https://example.com",
          description: "",
          eventTypes: [],
        }),
      () =>
        commands.createEndpoint(deps, portal, {
          appId: theirs.appId,
          url: "https://example.com",
          description: "",
          eventTypes: [],
        }),
    ];
    for (const call of calls) await expect(call()).rejects.toMatchObject({ status: 404 });
    expect(queued).toEqual([]);
    expect(await database.db.activity.count()).toBe(0);
    const endpoint = await database.db.endpoint.findUniqueOrThrow({ where: { id: theirs.endpointId } });
    expect(endpoint.previousSecrets).toEqual([]);
    expect(endpoint.disabled).toBe(false);
  });
});

describe("viewers", () => {
  it("can read but every change is refused with 403", async () => {
    const ref = { appId: mine.appId, endpointId: mine.endpointId };
    await expect(getDeliveryDetail(database.db, mine.appId, mine.deliveryIds[0]!)).resolves.toBeDefined();
    await expect(commands.previewReplay(deps, viewer, { ...ref, ...range() })).resolves.toMatchObject({ count: 25 });
    const calls: Array<() => Promise<unknown>> = [
      () => commands.retryDelivery(deps, viewer, { appId: mine.appId, deliveryId: mine.deliveryIds[0]! }),
      () => commands.replayFailed(deps, viewer, { ...ref, ...range() }),
      () => commands.rotateSecret(deps, viewer, ref),
      () => commands.revealSecret(deps, viewer, ref),
      () => commands.sendTestEvent(deps, viewer, ref),
      () => commands.setEndpointEnabled(deps, viewer, { ...ref, enabled: false }),
      () =>
        commands.editEndpoint(deps, viewer, { ...ref, url: "https://example.com", description: "", eventTypes: [] }),
      () =>
        commands.createEndpoint(deps, viewer, {
          appId: mine.appId,
          url: "https://example.com",
          description: "",
          eventTypes: [],
        }),
    ];
    for (const call of calls) await expect(call()).rejects.toMatchObject({ status: 403 });
    expect(queued).toEqual([]);
  });
});

describe("allowed changes", () => {
  it("retries through the queue and logs who did it", async () => {
    await commands.retryDelivery(deps, portal, { appId: mine.appId, deliveryId: mine.deliveryIds[0]! });
    expect(queued.at(-1)).toMatchObject({ kind: "manual", deliveryId: mine.deliveryIds[0], requestedBy: "portal" });
    const activity = await database.db.activity.findFirstOrThrow({ where: { appId: mine.appId } });
    expect(activity).toMatchObject({ actor: "portal", action: "delivery.retried", targetId: mine.deliveryIds[0] });
  });

  it("replays failed deliveries at most 10 per second, oldest first, filtered by event type", async () => {
    queued.length = 0;
    const ref = { appId: mine.appId, endpointId: mine.endpointId };
    const onlyUsers = await commands.previewReplay(deps, admin, { ...ref, ...range(), eventTypes: ["user.created"] });
    expect(onlyUsers.count).toBe(1);
    // A range that ended before the deliveries were created holds none.
    const before = {
      from: new Date(Date.now() - 7_200_000).toISOString(),
      to: new Date(Date.now() - 3_600_000).toISOString(),
    };
    expect((await commands.previewReplay(deps, admin, { ...ref, ...before, eventTypes: [] })).count).toBe(0);

    const asked = Date.now();
    const result = await commands.replayFailed(deps, admin, { ...ref, ...range() });
    expect(result).toEqual({ queued: 25, seconds: 3, startedAt: expect.any(String) as string });
    // When it began, so that the page can follow its attempts.
    expect(new Date(result.startedAt).getTime()).toBeGreaterThanOrEqual(asked);
    expect(new Date(result.startedAt).getTime()).toBeLessThanOrEqual(Date.now());
    expect(queued.map((job) => job.deliveryId)).toEqual(mine.deliveryIds);
    expect(queued.map((job) => job.delayMs)).toEqual([
      ...Array<number>(10).fill(0),
      ...Array<number>(10).fill(1000),
      ...Array<number>(5).fill(2000),
    ]);
    expect(queued.every((job) => job.requestedBy === admin.email)).toBe(true);
  });

  it("sends a test event to that one endpoint only, through the queue", async () => {
    queued.length = 0;
    const other = await createEndpoint(
      database.db,
      mine.appId,
      { url: "http://127.0.0.1:9/other", description: "", eventTypes: [], rateLimit: null },
      policy,
    );
    const sent = await commands.sendTestEvent(deps, admin, { appId: mine.appId, endpointId: mine.endpointId });
    const deliveries = await database.db.delivery.findMany({ where: { eventId: sent.eventId } });
    expect(deliveries.map((d) => d.endpointId)).toEqual([mine.endpointId]);
    expect(deliveries.some((d) => d.endpointId === other.id)).toBe(false);
    expect(queued).toEqual([{ kind: "scheduled", deliveryId: sent.deliveryId }]);
  });
});

describe("the endpoint log", () => {
  it("filters by status, event type, status code or class, time range and event id, page by page", async () => {
    const db = database.db;
    const app = await createApp(db, { name: "Log" });
    const endpoint = await createEndpoint(
      db,
      app.id,
      { url: "http://127.0.0.1:9/log", description: "", eventTypes: [], rateLimit: null },
      policy,
    );
    const outcomes: Array<{ status: "succeeded" | "failed" | "pending"; code: number | null; error: string | null }> = [
      { status: "succeeded", code: 200, error: null },
      { status: "failed", code: 503, error: null },
      { status: "failed", code: 404, error: null },
      { status: "failed", code: null, error: "timeout" },
      { status: "failed", code: null, error: "connection_refused" },
      { status: "pending", code: null, error: null },
    ];
    const ids: string[] = [];
    for (const [index, outcome] of outcomes.entries()) {
      const { deliveryIds, event } = await ingestEvent(
        db,
        app,
        { eventType: index % 2 === 0 ? "even.happened" : "odd.happened", payload: { index }, eventId: `ext-${index}` },
        undefined,
      );
      const deliveryId = deliveryIds[0]!;
      ids.push(deliveryId);
      await db.delivery.update({
        where: { id: deliveryId },
        data: {
          status: outcome.status,
          lastStatusCode: outcome.code,
          attemptCount: outcome.status === "pending" ? 0 : 1,
        },
      });
      if (outcome.status !== "pending") {
        await db.attempt.create({
          data: {
            id: `atm_${deliveryId.slice(4)}`,
            deliveryId,
            endpointId: endpoint.id,
            trigger: "scheduled",
            responseStatusCode: outcome.code,
            error: outcome.error,
            durationMs: 5,
            succeeded: outcome.status === "succeeded",
            requestHeaders: { "webhook-id": event.id },
          },
        });
      }
    }
    const list = async (query: Record<string, string>) =>
      (await listEndpointDeliveries(db, app.id, endpoint.id, logFilterSchema.parse(query))).data.map((row) =>
        ids.indexOf(row.id),
      );
    expect(await list({})).toEqual([5, 4, 3, 2, 1, 0]);
    expect(await list({ sort: "asc" })).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await list({ status: "failed" })).toEqual([4, 3, 2, 1]);
    expect(await list({ status: "pending" })).toEqual([5]);
    expect(await list({ eventType: "odd.happened" })).toEqual([5, 3, 1]);
    expect(await list({ code: "503" })).toEqual([1]);
    expect(await list({ code: "5xx" })).toEqual([1]);
    expect(await list({ code: "4xx" })).toEqual([2]);
    expect(await list({ code: "2xx" })).toEqual([0]);
    expect(await list({ code: "timeout" })).toEqual([3]);
    expect(await list({ code: "connection" })).toEqual([4]);
    expect(await list({ q: "ext-2" })).toEqual([2]);
    const created = await db.delivery.findUniqueOrThrow({ where: { id: ids[2]! } });
    expect(await list({ q: created.eventId })).toEqual([2]);
    expect(await list({ to: new Date(Date.now() - 3_600_000).toISOString() })).toEqual([]);
    expect(
      await list({
        from: new Date(Date.now() - 3_600_000).toISOString(),
        status: "failed",
        eventType: "even.happened",
      }),
    ).toEqual([4, 2]);

    // Keyset pages of two, both ways.
    const pages: number[][] = [];
    let cursor: string | undefined;
    do {
      const page = await listEndpointDeliveries(db, app.id, endpoint.id, logFilterSchema.parse({ limit: "2", cursor }));
      pages.push(page.data.map((row) => ids.indexOf(row.id)));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages).toEqual([
      [5, 4],
      [3, 2],
      [1, 0],
    ]);
    const first = await listEndpointDeliveries(
      db,
      app.id,
      endpoint.id,
      logFilterSchema.parse({ limit: "4", sort: "asc" }),
    );
    const second = await listEndpointDeliveries(
      db,
      app.id,
      endpoint.id,
      logFilterSchema.parse({ limit: "4", sort: "asc", cursor: first.nextCursor }),
    );
    expect(second.data.map((row) => ids.indexOf(row.id))).toEqual([4, 5]);
    expect(second.nextCursor).toBeNull();

    // A code filter's pages, both ways: the page's bound applies to the attempts too.
    const failedAttempt = (deliveryId: string, code: number) =>
      db.attempt.create({
        data: {
          id: newId("attempt"),
          deliveryId,
          endpointId: endpoint.id,
          trigger: "scheduled",
          responseStatusCode: code,
          durationMs: 5,
          succeeded: false,
          requestHeaders: {},
        },
      });
    await failedAttempt(ids[2]!, 503);
    const pagesOf = async (query: Record<string, string>) => {
      const seen: number[][] = [];
      let after: string | undefined;
      do {
        const page = await listEndpointDeliveries(
          db,
          app.id,
          endpoint.id,
          logFilterSchema.parse({ ...query, limit: "1", cursor: after }),
        );
        seen.push(page.data.map((row) => ids.indexOf(row.id)));
        after = page.nextCursor ?? undefined;
      } while (after);
      return seen;
    };
    expect(await pagesOf({ code: "503" })).toEqual([[2], [1]]);
    expect(await pagesOf({ code: "503", sort: "asc" })).toEqual([[1], [2]]);
    expect(await pagesOf({ code: "5xx" })).toEqual([[2], [1]]);

    // With the delivery's own filters too, and each delivery once however many of its attempts match.
    await failedAttempt(ids[1]!, 500);
    expect(await list({ code: "5xx" })).toEqual([2, 1]);
    expect(await list({ code: "5xx", eventType: "even.happened" })).toEqual([2]);
    expect(await list({ code: "5xx", status: "succeeded" })).toEqual([]);
    expect(await list({ code: "503", q: "ext-1" })).toEqual([1]);
    expect(await list({ code: "503", q: created.eventId })).toEqual([2]);
    expect(await list({ code: "5xx", to: new Date(Date.now() - 3_600_000).toISOString() })).toEqual([]);
    const lastHour = { from: new Date(Date.now() - 3_600_000).toISOString() };
    expect(await list({ ...lastHour, code: "5xx", sort: "asc" })).toEqual([1, 2]);
  });
});

describe("portal links", () => {
  it("open one app once, before they expire, for a session that ends", async () => {
    const db = database.db;
    const { token } = await createPortalAccess(db, mine.appId, 60_000);
    expect(await peekPortalLink(db, token)).toMatchObject({ id: mine.appId });
    const opened = await redeemPortalLink(db, token, 3_600_000);
    expect(opened?.appId).toBe(mine.appId);
    expect(await redeemPortalLink(db, token, 3_600_000)).toBeUndefined();
    expect(await peekPortalLink(db, token)).toBeUndefined();
    expect(await portalSessionApp(db, opened!.sessionToken)).toBe(mine.appId);
    expect(await portalSessionApp(db, opened!.sessionToken, new Date(Date.now() + 3_600_001))).toBeUndefined();
    expect(await portalSessionApp(db, token)).toBeUndefined();

    const late = await createPortalAccess(db, mine.appId, 60_000, new Date(Date.now() - 120_000));
    expect(await redeemPortalLink(db, late.token, 3_600_000)).toBeUndefined();
  });
});

describe("sign-in", () => {
  it("creates the first admin once, and limits failures per account and per address", async () => {
    const db = database.db;
    const first = await ensureFirstAdmin(db, undefined, undefined);
    expect(first?.generatedPassword).toMatch(/^[\w-]{20,}$/);
    expect(await ensureFirstAdmin(db, undefined, undefined)).toBeUndefined();
    await createUser(db, { email: "Ops@Example.test", password: "correct horse", role: "admin" });
    const check = (email: string, password: string) => checkCredentials(db, email, password);

    expect(await signIn(db, check, "ops@example.test", "correct horse", "10.0.0.1")).toMatchObject({ ok: true });
    for (let i = 0; i < 5; i++) {
      expect(await signIn(db, check, "OPS@example.test", "wrong", `10.0.0.${i + 2}`)).toEqual({
        ok: false,
        reason: "invalid",
      });
    }
    expect(await signIn(db, check, "ops@example.test", "correct horse", "10.0.0.99")).toEqual({
      ok: false,
      reason: "rate_limited",
    });
    // One address guessing across many accounts is stopped too.
    for (let i = 0; i < 20; i++) await signIn(db, check, `nobody${i}@example.test`, "guess", "10.9.9.9");
    await createUser(db, { email: "other@example.test", password: "another secret", role: "viewer" });
    expect(await signIn(db, check, "other@example.test", "another secret", "10.9.9.9")).toEqual({
      ok: false,
      reason: "rate_limited",
    });
    expect(await signIn(db, check, "other@example.test", "another secret", "10.9.9.10")).toMatchObject({ ok: true });
  });
});
