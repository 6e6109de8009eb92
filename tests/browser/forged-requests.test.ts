// Server actions called the way an attacker would: from another origin,
// from an opaque origin, or with a header that once let requests skip
// Next.js middleware. None of them may queue anything.
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, serverActionId, signIn } from "../support/browser";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { answer, startReceiver, type TestReceiver } from "../support/receiver";
import { waitFor } from "../support/services";

let hookpost: RunningHookpost;
let receiver: TestReceiver;
let browser: Browser;
let admin: BrowserContext;
let target: { appId: string; deliveryId: string; activities: number };

beforeAll(async () => {
  [hookpost, receiver, browser] = await Promise.all([
    startHookpost({ env: { RETRY_SCHEDULE: "200ms" } }),
    startReceiver(answer(500, "down")),
    launchBrowser(),
  ]);
  const app = (await (await hookpost.api("/apps", { body: { name: "Target" } })).json()) as { id: string };
  await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url: receiver.url } });
  const event = (await (
    await hookpost.api(`/apps/${app.id}/events`, { body: { eventType: "a", payload: {} } })
  ).json()) as {
    id: string;
  };
  const delivery = await waitFor("the delivery to fail", async () => {
    const row = await hookpost.db.delivery.findFirst({ where: { eventId: event.id } });
    return row?.status === "failed" ? row : undefined;
  });
  // The endpoint created through the API is logged already.
  target = {
    appId: app.id,
    deliveryId: delivery.id,
    activities: await hookpost.db.activity.count({ where: { appId: app.id } }),
  };
  admin = await browser.newContext();
  await signIn(await admin.newPage(), hookpost.baseUrl, await hookpost.createUser("admin"));
});

afterAll(async () => {
  await admin?.close();
  await browser?.close();
  await hookpost?.stop();
  await receiver?.close();
});

async function callRetry(headers: Record<string, string>, withSession: boolean) {
  const cookies = withSession ? await admin.cookies() : [];
  const url = `${hookpost.baseUrl}/apps/${target.appId}/deliveries/${target.deliveryId}`;
  const response = await fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: {
      "next-action": serverActionId("retryDeliveryAction"),
      accept: "text/x-component",
      "content-type": "text/plain;charset=UTF-8",
      cookie: cookies.map((c) => `${c.name}=${c.value}`).join("; "),
      ...headers,
    },
    body: JSON.stringify([{ appId: target.appId, deliveryId: target.deliveryId }]),
  });
  return { status: response.status, body: await response.text() };
}

async function nothingQueued(before: number) {
  // Long enough for a queued retry to have been made.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const after = (await hookpost.db.delivery.findUniqueOrThrow({ where: { id: target.deliveryId } })).attemptCount;
  expect(after).toBe(before);
  expect(await hookpost.db.activity.count({ where: { appId: target.appId } })).toBe(target.activities);
}

describe("forged server-action requests", () => {
  it.each([
    ["a foreign Origin", { origin: "https://evil.example" }],
    ["Origin: null", { origin: "null" }],
  ])("refuses %s even with a valid session", async (_name, headers) => {
    const before = (await hookpost.db.delivery.findUniqueOrThrow({ where: { id: target.deliveryId } })).attemptCount;
    const result = await callRetry(headers, true);
    expect(result.body).not.toContain('"ok":true');
    expect(result.status).not.toBe(200);
    await nothingQueued(before);
  });

  it("is still unauthorized with x-middleware-subrequest and no session", async () => {
    const before = (await hookpost.db.delivery.findUniqueOrThrow({ where: { id: target.deliveryId } })).attemptCount;
    const result = await callRetry(
      { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware", origin: hookpost.baseUrl },
      false,
    );
    expect(result.body).not.toContain('"ok":true');
    await nothingQueued(before);
  });

  it("works for the same request from the app's own origin, so the refusals above mean something", async () => {
    const before = (await hookpost.db.delivery.findUniqueOrThrow({ where: { id: target.deliveryId } })).attemptCount;
    const result = await callRetry({ origin: hookpost.baseUrl }, true);
    expect(result.status).toBe(200);
    await waitFor("the retry to be made", async () => {
      const row = await hookpost.db.delivery.findUniqueOrThrow({ where: { id: target.deliveryId } });
      return row.attemptCount > before ? true : undefined;
    });
  });
});
