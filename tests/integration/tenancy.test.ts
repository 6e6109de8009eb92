// Every /api/v1 route, called with one app's path and another app's object
// ids, or with an id holding U+0000, answers 404 and changes nothing. The
// table below must name every route and method in app/api/v1: a route
// added without an entry fails here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorLines, startHookpost, type RunningHookpost } from "../support/hookpost";
import { answer, startReceiver, type TestReceiver } from "../support/receiver";
import { waitFor } from "../support/services";
import { declaredRoutes } from "../support/api-routes";

interface Ids {
  foreignApp: string;
  endpoint: string;
  event: string;
  delivery: string;
  eventType: string;
}

type Probe =
  | { kind: "foreign"; path: (ids: Ids) => string; body?: unknown }
  | { kind: "unknown-app"; path: string; body?: unknown }
  | { kind: "not-app-scoped"; why: string };

/** route file (under app/api/v1) + method -> how it is probed. */
const routes: Record<string, Probe> = {
  "apps GET": { kind: "not-app-scoped", why: "lists apps for the operator's key" },
  "apps POST": { kind: "not-app-scoped", why: "creates an app" },
  "apps/[appId] GET": { kind: "unknown-app", path: "/apps/app_01ZZZZZZZZZZZZZZZZZZZZZZZZ" },
  "apps/[appId] PATCH": {
    kind: "unknown-app",
    path: "/apps/app_01ZZZZZZZZZZZZZZZZZZZZZZZZ",
    body: { name: "Stolen", accentColor: "#000000" },
  },
  "apps/[appId]/event-types GET": { kind: "unknown-app", path: "/apps/nobody/event-types" },
  "apps/[appId]/event-types POST": {
    kind: "unknown-app",
    path: "/apps/nobody/event-types",
    body: { name: "planted.type", example: {} },
  },
  "apps/[appId]/event-types/[eventType] GET": {
    kind: "foreign",
    path: (i) => `/apps/${i.foreignApp}/event-types/${i.eventType}`,
  },
  "apps/[appId]/event-types/[eventType] PATCH": {
    kind: "foreign",
    path: (i) => `/apps/${i.foreignApp}/event-types/${i.eventType}`,
    body: { description: "stolen" },
  },
  "apps/[appId]/event-types/[eventType] DELETE": {
    kind: "foreign",
    path: (i) => `/apps/${i.foreignApp}/event-types/${i.eventType}`,
  },
  "apps/[appId]/endpoints GET": { kind: "unknown-app", path: "/apps/nobody/endpoints" },
  "apps/[appId]/endpoints POST": {
    kind: "unknown-app",
    path: "/apps/nobody/endpoints",
    body: { url: "https://example.com/" },
  },
  "apps/[appId]/endpoints/[endpointId] GET": {
    kind: "foreign",
    path: (i) => `/apps/${i.foreignApp}/endpoints/${i.endpoint}`,
  },
  "apps/[appId]/endpoints/[endpointId] PATCH": {
    kind: "foreign",
    path: (i) => `/apps/${i.foreignApp}/endpoints/${i.endpoint}`,
    body: { disabled: true },
  },
  "apps/[appId]/endpoints/[endpointId] DELETE": {
    kind: "foreign",
    path: (i) => `/apps/${i.foreignApp}/endpoints/${i.endpoint}`,
  },
  "apps/[appId]/endpoints/[endpointId]/headers GET": {
    kind: "foreign",
    path: (i) => `/apps/${i.foreignApp}/endpoints/${i.endpoint}/headers`,
  },
  "apps/[appId]/endpoints/[endpointId]/headers PUT": {
    kind: "foreign",
    path: (i) => `/apps/${i.foreignApp}/endpoints/${i.endpoint}/headers`,
    body: { headers: { "X-Stolen": "1" } },
  },
  "apps/[appId]/endpoints/[endpointId]/secret GET": {
    kind: "foreign",
    path: (i) => `/apps/${i.foreignApp}/endpoints/${i.endpoint}/secret`,
  },
  "apps/[appId]/endpoints/[endpointId]/secret/rotate POST": {
    kind: "foreign",
    path: (i) => `/apps/${i.foreignApp}/endpoints/${i.endpoint}/secret/rotate`,
    body: {},
  },
  "apps/[appId]/events POST": {
    kind: "unknown-app",
    path: "/apps/nobody/events",
    body: { eventType: "a", payload: {} },
  },
  "apps/[appId]/events/[eventId]/deliveries GET": {
    kind: "foreign",
    path: (i) => `/apps/${i.foreignApp}/events/${i.event}/deliveries`,
  },
  "apps/[appId]/deliveries/[deliveryId]/attempts GET": {
    kind: "foreign",
    path: (i) => `/apps/${i.foreignApp}/deliveries/${i.delivery}/attempts`,
  },
  "apps/[appId]/deliveries/[deliveryId]/retry POST": {
    kind: "foreign",
    path: (i) => `/apps/${i.foreignApp}/deliveries/${i.delivery}/retry`,
    body: {},
  },
  "apps/[appId]/portal-access POST": { kind: "unknown-app", path: "/apps/nobody/portal-access", body: {} },
  "openapi.json GET": { kind: "not-app-scoped", why: "the API's public description" },
};

let hookpost: RunningHookpost;
let receiver: TestReceiver;
let ids: Ids;
let ownerApp: string;

beforeAll(async () => {
  receiver = await startReceiver(answer(200));
  hookpost = await startHookpost();
  const create = async (name: string) =>
    ((await (await hookpost.api("/apps", { body: { name } })).json()) as { id: string }).id;
  ownerApp = await create("Owner");
  const foreignApp = await create("Intruder");
  const endpoint = (
    (await (await hookpost.api(`/apps/${ownerApp}/endpoints`, { body: { url: receiver.url } })).json()) as {
      id: string;
    }
  ).id;
  const event = (
    (await (
      await hookpost.api(`/apps/${ownerApp}/events`, { body: { eventType: "a", payload: { secret: "owner-only" } } })
    ).json()) as { id: string }
  ).id;
  const delivery = await waitFor("the delivery row", () =>
    hookpost.db.delivery.findFirst({ where: { eventId: event } }).then((d) => d ?? undefined),
  );
  const eventType = await hookpost.api(`/apps/${ownerApp}/event-types`, {
    body: { name: "invoice.paid", description: "owner-only", example: { secret: "owner-only" } },
  });
  expect(eventType.status).toBe(201);
  ids = { foreignApp, endpoint, event, delivery: delivery.id, eventType: "invoice.paid" };
});

afterAll(async () => {
  await hookpost?.stop();
  await receiver?.close();
});

describe("tenancy of the HTTP API", () => {
  it("has a probe for every route and method", () => {
    expect(Object.keys(routes).sort()).toEqual(declaredRoutes().sort());
  });

  it("answers 404 to another app's ids and to unknown apps, changing nothing", async () => {
    const snapshot = async () =>
      JSON.stringify(
        await Promise.all([
          // What a request could change; the worker's own bookkeeping (failure
          // streak, updatedAt) moves on its own and is left out.
          hookpost.db.endpoint.findMany({
            orderBy: { id: "asc" },
            select: {
              id: true,
              appId: true,
              url: true,
              description: true,
              eventTypes: true,
              disabled: true,
              secret: true,
              previousSecrets: true,
              headers: true,
              rateLimit: true,
            },
          }),
          hookpost.db.event.count(),
          hookpost.db.app.findMany({ orderBy: { id: "asc" } }),
          hookpost.db.eventType.findMany({ orderBy: { id: "asc" } }),
        ]),
      );
    const before = await snapshot();
    for (const [route, probe] of Object.entries(routes)) {
      if (probe.kind === "not-app-scoped") continue;
      const method = route.split(" ")[1]!;
      const path = probe.kind === "foreign" ? probe.path(ids) : probe.path;
      const response = await hookpost.api(path, { method, body: probe.body });
      expect(response.status, `${route} -> ${path}`).toBe(404);
      const text = await response.text();
      expect(text, route).not.toContain("owner-only");
      expect(text, route).not.toContain("whsec_");
    }
    expect(await snapshot()).toBe(before);
    // No retry was queued through the intruder's path.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await hookpost.db.attempt.count({ where: { trigger: "manual" } })).toBe(0);
  });

  it("answers 404 to an id holding U+0000 in any place of any route, logging no error", async () => {
    const nul = "%00";
    const logged = hookpost.webLogs().length;
    for (const [route, probe] of Object.entries(routes)) {
      if (probe.kind === "not-app-scoped") continue;
      const method = route.split(" ")[1]!;
      const paths =
        probe.kind === "foreign"
          ? [
              probe.path({ ...ids, foreignApp: nul }),
              probe.path({ foreignApp: ownerApp, endpoint: nul, event: nul, delivery: nul, eventType: nul }),
              probe.path({
                foreignApp: ownerApp,
                endpoint: `${ids.endpoint}${nul}`,
                event: `x${nul}`,
                delivery: nul,
                eventType: `${ids.eventType}${nul}`,
              }),
            ]
          : [
              probe.path.replace(/^\/apps\/[^/]+/, `/apps/${nul}`),
              probe.path.replace(/^\/apps\/[^/]+/, `/apps/app_${nul}`),
            ];
      for (const path of paths) {
        const response = await hookpost.api(path, { method, body: probe.body });
        expect(`${route} -> ${path}: ${response.status}`).toBe(`${route} -> ${path}: 404`);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_found");
      }
    }
    expect(errorLines(hookpost.webLogs().slice(logged))).toEqual([]);
  });
});
