// The API and the dashboard make their changes through the same use cases:
// what an API key does is in the app's activity log under the key's name,
// its answers are the API's own, and the same Retry and rotation called
// through the dashboard's server actions refuse a viewer (403) and another
// app's portal (404), changing nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPortalAccess, PORTAL_COOKIE, redeemPortalLink } from "../../lib/auth/portal";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { builtServerActions, callServerAction, signInOverHttp } from "../support/http-session";

interface Ids {
  appId: string;
  endpointId: string;
  deliveryId: string;
}

let hookpost: RunningHookpost;
let mine: Ids;
let theirs: Ids;
const cookies = { admin: "", viewer: "", theirPortal: "" };
/** The actor the test API key (named "test" by startHookpost) is logged as. */
const API_ACTOR = "api key test";

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
  return { appId: app.id, endpointId: endpoint.id, deliveryId: delivery.id };
}

function activityOf(appId: string) {
  return hookpost.db.activity.findMany({ where: { appId }, orderBy: { id: "asc" } });
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
  const { token } = await createPortalAccess(hookpost.db, theirs.appId, 60_000);
  const opened = await redeemPortalLink(hookpost.db, token, 3_600_000);
  cookies.theirPortal = `${PORTAL_COOKIE}=${opened!.sessionToken}`;
}, 120_000);

afterAll(async () => {
  await hookpost?.stop();
});

describe("changes made through the API", () => {
  it("are in the app's activity log with the API key as the actor, and answer as before", async () => {
    const logged = (await activityOf(mine.appId)).length;
    const retry = await hookpost.api(`/apps/${mine.appId}/deliveries/${mine.deliveryId}/retry`, { method: "POST" });
    expect(retry.status).toBe(202);
    expect(await retry.json()).toEqual({ status: "queued" });

    const rotate = await hookpost.api(`/apps/${mine.appId}/endpoints/${mine.endpointId}/secret/rotate`, {
      method: "POST",
    });
    expect(rotate.status).toBe(200);
    const rotated = (await rotate.json()) as { key: string; previousSecretExpiresAt: string };
    expect(rotated.key).toMatch(/^whsec_/);

    const added = await activityOf(mine.appId);
    expect(added.slice(logged)).toMatchObject([
      {
        actor: API_ACTOR,
        action: "delivery.retried",
        targetType: "delivery",
        targetId: mine.deliveryId,
        details: { endpointId: mine.endpointId },
      },
      {
        actor: API_ACTOR,
        action: "endpoint.secret_rotated",
        targetType: "endpoint",
        targetId: mine.endpointId,
        details: { previousSecretExpiresAt: rotated.previousSecretExpiresAt },
      },
    ]);
    // The Retry's attempt is made by the worker, requested by the key.
    const attempt = await (async () => {
      for (let i = 0; i < 100; i++) {
        const found = await hookpost.db.attempt.findFirst({
          where: { deliveryId: mine.deliveryId, trigger: "manual" },
        });
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error("no manual attempt was made");
    })();
    expect(attempt.triggeredBy).toBe(API_ACTOR);
  });

  it("include creating, editing, disabling and deleting an endpoint, which the Activity page shows", async () => {
    const created = await hookpost.api(`/apps/${mine.appId}/endpoints`, { body: { url: "https://example.com/a" } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const edited = await hookpost.api(`/apps/${mine.appId}/endpoints/${id}`, {
      method: "PATCH",
      body: { description: "Billing", disabled: true },
    });
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({ id, description: "Billing", disabled: true });
    const deleted = await hookpost.api(`/apps/${mine.appId}/endpoints/${id}`, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe("");

    const entries = (await activityOf(mine.appId)).filter((entry) => entry.targetId === id);
    expect(entries.map((entry) => [entry.actor, entry.action])).toEqual([
      [API_ACTOR, "endpoint.created"],
      [API_ACTOR, "endpoint.updated"],
      [API_ACTOR, "endpoint.disabled"],
      [API_ACTOR, "endpoint.deleted"],
    ]);

    const page = await fetch(`${hookpost.baseUrl}/apps/${mine.appId}/activity`, { headers: { cookie: cookies.admin } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(API_ACTOR);
    expect(html).toContain("deleted endpoint");
    expect(html).toContain("rotated the secret of");
  });

  it("are refused for another app's objects, logging nothing", async () => {
    const before = await hookpost.db.activity.count();
    const retry = await hookpost.api(`/apps/${mine.appId}/deliveries/${theirs.deliveryId}/retry`, { method: "POST" });
    expect(retry.status).toBe(404);
    expect(await retry.json()).toEqual({ error: { code: "not_found", message: "delivery not found" } });
    const rotate = await hookpost.api(`/apps/${mine.appId}/endpoints/${theirs.endpointId}/secret/rotate`, {
      method: "POST",
    });
    expect(rotate.status).toBe(404);
    expect(await rotate.json()).toEqual({ error: { code: "not_found", message: "endpoint not found" } });
    expect(await hookpost.db.activity.count()).toBe(before);
  });
});

describe("the same Retry and rotation from the dashboard", () => {
  const built = builtServerActions();
  const retryAction = built.find((action) => action.name === "app/apps/actions.ts#retryDeliveryAction")!;
  const rotateAction = built.find((action) => action.name === "app/apps/actions.ts#rotateSecretAction")!;

  async function call(action: typeof retryAction, args: Record<string, string>, cookie: string) {
    const { httpStatus, body } = await callServerAction(
      hookpost.baseUrl,
      action,
      // The page it is sent from: the object's own, in the app the ids name.
      { ...mine, ...args },
      [args],
      cookie,
    );
    expect(httpStatus, body).toBe(200);
    const answer = /"ok":(true|false)(?:,"status":(\d+))?/.exec(body);
    if (!answer) throw new Error(`no action answer in ${body}`);
    return answer[1] === "true" ? 200 : Number(answer[2]);
  }

  async function changes() {
    const db = hookpost.db;
    return {
      activities: await db.activity.count(),
      manualAttempts: await db.attempt.count({ where: { trigger: "manual" } }),
      secrets: await db.endpoint.findMany({ orderBy: { id: "asc" }, select: { secret: true, previousSecrets: true } }),
    };
  }

  it("refuses a viewer with 403 and another app's portal with 404, changing nothing", async () => {
    const before = await changes();
    const retryArgs = { appId: mine.appId, deliveryId: mine.deliveryId };
    const rotateArgs = { appId: mine.appId, endpointId: mine.endpointId };
    expect(await call(retryAction, retryArgs, cookies.viewer)).toBe(403);
    expect(await call(rotateAction, rotateArgs, cookies.viewer)).toBe(403);
    expect(await call(retryAction, retryArgs, cookies.theirPortal)).toBe(404);
    expect(await call(rotateAction, rotateArgs, cookies.theirPortal)).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await changes()).toEqual(before);
  });

  it("logs an admin's Retry and rotation under their own name, next to the API key's", async () => {
    const logged = (await activityOf(mine.appId)).length;
    expect(await call(retryAction, { appId: mine.appId, deliveryId: mine.deliveryId }, cookies.admin)).toBe(200);
    expect(await call(rotateAction, { appId: mine.appId, endpointId: mine.endpointId }, cookies.admin)).toBe(200);
    const added = (await activityOf(mine.appId)).slice(logged);
    expect(added.map((entry) => entry.action)).toEqual(["delivery.retried", "endpoint.secret_rotated"]);
    expect(added.every((entry) => entry.actor.endsWith("@example.test"))).toBe(true);
  });
});
