// Every server action of the built dashboard, called over HTTP the way a
// browser sends it: with another app's ids, or ids holding U+0000, it
// answers 404, for a viewer every change is 403, and nothing changes. The
// table must name every action in the build: an action added without an
// entry fails here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPortalAccess, PORTAL_COOKIE, redeemPortalLink } from "../../lib/auth/portal";
import { errorLines, startHookpost, type RunningHookpost } from "../support/hookpost";
import { builtServerActions, callServerAction, signInOverHttp, type BuiltServerAction } from "../support/http-session";

interface Ids {
  appId: string;
  endpointId: string;
  deliveryId: string;
  /** The catalogue's type the edit page of an event type is opened at. */
  eventType: string;
}

type Probe =
  | {
      kind: "app-scoped";
      /** What the action is handed, built from the ids of the objects it acts on. */
      args: (ids: Ids) => unknown;
      /** Reads are open to viewers; everything else must be refused. */
      changes: boolean;
      /** The action takes an app and an object in it, so one app's path with another's object can be tried. */
      objectIds: boolean;
    }
  | { kind: "not-app-scoped"; why: string };

const range = () => ({
  from: new Date(Date.now() - 3_600_000).toISOString(),
  to: new Date(Date.now() + 60_000).toISOString(),
  eventTypes: "",
});
const endpointForm = { url: "https://example.com/hook", description: "", eventTypes: "" };
/** Every app's fixture declares this type, so that one app's path with it names a real object. */
const PROBE_TYPE = "probe.type";
const eventTypeForm = { description: "changed", example: '{"changed": true}', schema: "" };

/** An action on the app itself or its catalogue, which its portal may not change either. */
function onApp(args: (ids: Ids) => object): Probe {
  return { kind: "app-scoped", args, changes: true, objectIds: false };
}

/** An action on one object of an app: a delivery or an endpoint, plus what else it takes (built at each call). */
function onObject(object: "delivery" | "endpoint", changes: boolean, extra: () => object = () => ({})): Probe {
  return {
    kind: "app-scoped",
    args: (i) => ({
      appId: i.appId,
      ...(object === "delivery" ? { deliveryId: i.deliveryId } : { endpointId: i.endpointId }),
      ...extra(),
    }),
    changes,
    objectIds: true,
  };
}

const actions: Record<string, Probe> = {
  "app/apps/actions.ts#retryDeliveryAction": onObject("delivery", true),
  "app/apps/actions.ts#getDeliveryAction": onObject("delivery", false),
  "app/apps/actions.ts#previewReplayAction": onObject("endpoint", false, range),
  "app/apps/actions.ts#replayFailedAction": onObject("endpoint", true, range),
  "app/apps/actions.ts#replayProgressAction": onObject("endpoint", false, () => ({
    ...range(),
    since: new Date().toISOString(),
  })),
  "app/apps/actions.ts#latestReplayAction": onObject("endpoint", false),
  "app/apps/actions.ts#rotateSecretAction": onObject("endpoint", true),
  // Not a change, but a viewer may not see secrets either.
  "app/apps/actions.ts#revealSecretAction": onObject("endpoint", true),
  "app/apps/actions.ts#sendTestEventAction": onObject("endpoint", true),
  "app/apps/actions.ts#setEndpointEnabledAction": onObject("endpoint", true, () => ({ enabled: false })),
  "app/apps/actions.ts#editEndpointAction": onObject("endpoint", true, () => endpointForm),
  "app/apps/actions.ts#createEndpointAction": {
    kind: "app-scoped",
    args: (i) => ({ appId: i.appId, ...endpointForm }),
    changes: true,
    objectIds: false,
  },
  "app/apps/actions.ts#declareEventTypeAction": onApp((i) => ({
    appId: i.appId,
    name: "planted.type",
    description: "",
    example: "{}",
    schema: "",
  })),
  "app/apps/actions.ts#editEventTypeAction": onApp((i) => ({ appId: i.appId, name: PROBE_TYPE, ...eventTypeForm })),
  "app/apps/actions.ts#setEventTypeArchivedAction": onApp((i) => ({
    appId: i.appId,
    name: PROBE_TYPE,
    archived: true,
  })),
  "app/apps/actions.ts#editAppSettingsAction": onApp((i) => ({
    appId: i.appId,
    name: "Renamed",
    displayName: "Stolen",
    logoUrl: "https://evil.example/logo.png",
    accentColor: "#000000",
  })),
  "app/portal/actions.ts#openPortalAction": {
    kind: "not-app-scoped",
    why: "takes only a portal link token; covered by the portal link tests",
  },
  "app/portal/actions.ts#leavePortalAction": {
    kind: "not-app-scoped",
    why: "takes no input and ends only the caller's own portal session",
  },
  "app/account/actions.ts#changeOwnPasswordAction": {
    kind: "not-app-scoped",
    why: "changes only the signed-in operator's own password; probed below and in tests/browser/account.test.ts",
  },
};

let hookpost: RunningHookpost;
let mine: Ids;
let theirs: Ids;
const cookies = { admin: "", viewer: "", portal: "" };

async function fixture(name: string): Promise<Ids> {
  const app = (await (await hookpost.api("/apps", { body: { name } })).json()) as { id: string };
  // Nothing listens on port 9: the first attempt fails and the next is an hour away.
  const endpoint = (await (
    await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url: "http://127.0.0.1:9/hook" } })
  ).json()) as { id: string };
  const event = (await (
    await hookpost.api(`/apps/${app.id}/events`, { body: { eventType: "a", payload: {} } })
  ).json()) as { id: string };
  const delivery = await hookpost.db.delivery.findFirstOrThrow({ where: { eventId: event.id } });
  const type = await hookpost.api(`/apps/${app.id}/event-types`, { body: { name: PROBE_TYPE, example: {} } });
  expect(type.status).toBe(201);
  return { appId: app.id, endpointId: endpoint.id, deliveryId: delivery.id, eventType: PROBE_TYPE };
}

/** Everything an action could have changed, to compare before and after. */
async function snapshot() {
  const db = hookpost.db;
  return {
    activities: await db.activity.count(),
    events: await db.event.count(),
    manualAttempts: await db.attempt.count({ where: { trigger: "manual" } }),
    endpoints: await db.endpoint.findMany({
      orderBy: { id: "asc" },
      select: { id: true, url: true, disabled: true, secret: true, previousSecrets: true },
    }),
    apps: await db.app.findMany({ orderBy: { id: "asc" } }),
    eventTypes: await db.eventType.findMany({ orderBy: { id: "asc" } }),
  };
}

beforeAll(async () => {
  hookpost = await startHookpost({ env: { RETRY_SCHEDULE: "1h" } });
  mine = await fixture("Mine");
  theirs = await fixture("Theirs");
  for (const role of ["admin", "viewer"] as const) {
    const user = await hookpost.createUser(role);
    const { response, cookie } = await signInOverHttp(hookpost.baseUrl, user.email, user.password);
    expect(response.status).toBe(200);
    cookies[role] = cookie;
  }
  const { token } = await createPortalAccess(hookpost.db, mine.appId, 60_000);
  const opened = await redeemPortalLink(hookpost.db, token, 3_600_000);
  cookies.portal = `${PORTAL_COOKIE}=${opened!.sessionToken}`;
}, 120_000);

afterAll(async () => {
  await hookpost?.stop();
});

/** The status the action answered with: 200 for `{ ok: true }`, else the status in its `{ ok: false }` answer. */
async function call(action: BuiltServerAction, ids: Ids, args: unknown, cookie: string): Promise<number> {
  const { httpStatus, body } = await callServerAction(hookpost.baseUrl, action, { ...ids }, [args], cookie);
  expect(httpStatus, body).toBe(200);
  const answer = /"ok":(true|false)(?:,"status":(\d+))?/.exec(body);
  if (!answer) throw new Error(`no action answer in ${body}`);
  return answer[1] === "true" ? 200 : Number(answer[2]);
}

describe("server actions", () => {
  const built = builtServerActions();

  it("are all in the table, and the table names no action that is gone", () => {
    expect(built.map((action) => action.name).sort()).toEqual(Object.keys(actions).sort());
  });

  it("answer 404 for another app's ids, from its portal or with one app's path and another's object", async () => {
    const before = await snapshot();
    const mixed = { ...mine, endpointId: theirs.endpointId, deliveryId: theirs.deliveryId };
    for (const action of built) {
      const probe = actions[action.name];
      if (probe?.kind !== "app-scoped") continue;
      expect([action.name, await call(action, theirs, probe.args(theirs), cookies.portal)]).toEqual([action.name, 404]);
      if (probe.objectIds) {
        expect([action.name, await call(action, mixed, probe.args(mixed), cookies.admin)]).toEqual([action.name, 404]);
        expect([action.name, await call(action, mixed, probe.args(mixed), cookies.portal)]).toEqual([action.name, 404]);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it("answer 404 for ids holding U+0000, as do the dashboard's pages, logging no error", async () => {
    const before = await snapshot();
    const logged = hookpost.webLogs().length;
    const nul = { appId: "\0", endpointId: "\0", deliveryId: "\0", eventType: "\0" };
    const nulObjects = { appId: mine.appId, endpointId: `${mine.endpointId}\0`, deliveryId: "\0", eventType: "\0" };
    for (const action of built) {
      const probe = actions[action.name];
      if (probe?.kind !== "app-scoped") continue;
      expect([action.name, await call(action, mine, probe.args(nul), cookies.admin)]).toEqual([action.name, 404]);
      if (probe.objectIds) {
        const status = await call(action, mine, probe.args(nulObjects), cookies.admin);
        expect([action.name, status]).toEqual([action.name, 404]);
      }
    }
    const pages = [
      "/apps/%00",
      "/apps/%00/activity",
      "/apps/%00/endpoints/new",
      "/apps/%00/event-types",
      "/apps/%00/event-types/new",
      "/apps/%00/settings",
      `/apps/${mine.appId}/event-types/%00/edit`,
      `/apps/${mine.appId}/endpoints/%00`,
      `/apps/${mine.appId}/endpoints/%00/edit`,
      `/apps/${mine.appId}/deliveries/%00`,
    ];
    for (const path of pages) {
      const response = await fetch(`${hookpost.baseUrl}${path}`, { headers: { cookie: cookies.admin } });
      expect([path, response.status]).toEqual([path, 404]);
    }
    expect(await snapshot()).toEqual(before);
    expect(errorLines(hookpost.webLogs().slice(logged))).toEqual([]);
  });

  it("refuse every change by a viewer with 403, and let a viewer read", async () => {
    const before = await snapshot();
    for (const action of built) {
      const probe = actions[action.name];
      if (probe?.kind !== "app-scoped") continue;
      const status = await call(action, mine, probe.args(mine), cookies.viewer);
      expect([action.name, status]).toEqual([action.name, probe.changes ? 403 : 200]);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("work for the app's own admin, so the refusals above mean something", async () => {
    const retry = built.find((action) => action.name === "app/apps/actions.ts#retryDeliveryAction")!;
    const manual = { deliveryId: mine.deliveryId, trigger: "manual" } as const;
    expect(await call(retry, mine, { appId: mine.appId, deliveryId: mine.deliveryId }, cookies.admin)).toBe(200);
    // The worker sends the retry; wait for its attempt so that no later test's snapshot sees it land.
    await expect.poll(() => hookpost.db.attempt.count({ where: manual }), { timeout: 15_000 }).toBe(1);
    const reveal = built.find((action) => action.name === "app/apps/actions.ts#revealSecretAction")!;
    expect(await call(reveal, mine, { appId: mine.appId, endpointId: mine.endpointId }, cookies.portal)).toBe(200);
  });

  it("refuse the app's catalogue and settings to its own portal, which only reads them", async () => {
    const before = await snapshot();
    for (const name of [
      "app/apps/actions.ts#declareEventTypeAction",
      "app/apps/actions.ts#editEventTypeAction",
      "app/apps/actions.ts#setEventTypeArchivedAction",
      "app/apps/actions.ts#editAppSettingsAction",
    ]) {
      const action = built.find((candidate) => candidate.name === name)!;
      const probe = actions[name];
      if (probe?.kind !== "app-scoped") throw new Error(`${name} is not app-scoped`);
      expect([name, await call(action, mine, probe.args(mine), cookies.portal)]).toEqual([name, 403]);
    }
    expect(await snapshot()).toEqual(before);
    for (const path of [`/apps/${mine.appId}/settings`, `/apps/${mine.appId}/event-types/new`]) {
      const response = await fetch(`${hookpost.baseUrl}${path}`, { headers: { cookie: cookies.portal } });
      expect([path, response.status]).toEqual([path, 404]);
    }
    const catalogue = await fetch(`${hookpost.baseUrl}/apps/${mine.appId}/event-types`, {
      headers: { cookie: cookies.portal },
    });
    expect(catalogue.status).toBe(200);
    expect(await catalogue.text()).toContain(PROBE_TYPE);
  });

  it("change no password for a portal session, nor without the current one", async () => {
    const change = built.find((action) => action.name === "app/account/actions.ts#changeOwnPasswordAction")!;
    const users = async () => hookpost.db.user.findMany({ orderBy: { id: "asc" }, select: { passwordHash: true } });
    const before = await users();
    const input = {
      currentPassword: "not the password",
      newPassword: "a new password",
      confirmPassword: "a new password",
    };
    expect(await call(change, mine, input, cookies.portal)).toBe(401);
    expect(await call(change, mine, input, cookies.viewer)).toBe(422);
    expect(await users()).toEqual(before);
  });
});
