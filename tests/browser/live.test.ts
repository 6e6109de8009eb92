// Live pages in Chromium against the built app and the real worker: the
// delivery page shows a Retry's attempt and the endpoint log its new
// deliveries and a replay's progress without a reload; pausing stops it;
// a reader scrolled into the log or on a later page keeps their place.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshots, signIn } from "../support/browser";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { answer, startReceiver, type TestReceiver } from "../support/receiver";
import { waitFor } from "../support/services";

let hookpost: RunningHookpost;
let receiver: TestReceiver;
let browser: Browser;
let page: Page;
let admin: { email: string; password: string };

/** Longer than two of the endpoint page's refreshes (3 s) and the delivery page's (2 s). */
const QUIET_MS = 7_000;

async function createAppWithEndpoint(name: string) {
  const app = (await (await hookpost.api("/apps", { body: { name } })).json()) as { id: string };
  const endpoint = (await (
    await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url: receiver.url } })
  ).json()) as {
    id: string;
  };
  return { appId: app.id, endpointId: endpoint.id };
}

async function sendEvent(appId: string, eventType = "order.paid"): Promise<string> {
  const response = await hookpost.api(`/apps/${appId}/events`, { body: { eventType, payload: { n: 1 } } });
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as { id: string };
  // Committed with the event, before the 202.
  return (await hookpost.db.delivery.findFirstOrThrow({ where: { eventId: id } })).id;
}

async function settled(deliveryId: string, status: "failed" | "succeeded") {
  await waitFor(`delivery ${deliveryId} to be ${status}`, async () =>
    (await hookpost.db.delivery.findUniqueOrThrow({ where: { id: deliveryId } })).status === status ? true : undefined,
  );
}

/** The ids of the log's rows, top to bottom. */
const logIds = () =>
  page
    .getByRole("region", { name: "Deliveries" })
    .locator("tr[data-delivery-id]")
    .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-delivery-id")));

const liveState = () => page.getByRole("group", { name: "Live updates" });

/** Marks the document, so a later check can tell that the page was never reloaded. */
const markPage = () => page.evaluate(() => ((window as unknown as { __samePage: boolean }).__samePage = true));
const samePage = () => page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage === true);

beforeAll(async () => {
  [hookpost, receiver, browser] = await Promise.all([
    // The breaker off: the replay's endpoint fails 44 attempts in a row before it is replayed.
    startHookpost({ env: { RETRY_SCHEDULE: "300ms", ENDPOINT_BREAKER_FAILURES: "0" } }),
    startReceiver(answer(500, "not yet")),
    launchBrowser(),
  ]);
  admin = await hookpost.createUser("admin");
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await signIn(page, hookpost.baseUrl, admin);
});

afterAll(async () => {
  await browser?.close();
  await hookpost?.stop();
  await receiver?.close();
});

describe("live pages", () => {
  it("show a Retry's attempt on the delivery page without a reload, and nothing new while paused", async () => {
    receiver.respond(answer(500, "not yet"));
    const { appId } = await createAppWithEndpoint("Live Retry");
    const deliveryId = await sendEvent(appId);
    await settled(deliveryId, "failed");

    await page.goto(`${hookpost.baseUrl}/apps/${appId}/deliveries/${deliveryId}`);
    await markPage();
    await expect(liveState().innerText()).resolves.toMatch(/^Live · updated \d\d:\d\d:\d\d \S+/);
    const attempts = page.locator("section.attempt");
    const before = await attempts.count();

    receiver.respond(answer(200, "thanks"));
    await page.getByRole("button", { name: "Retry" }).click();
    const manual = page.locator("section.attempt", { hasText: `manual, by ${admin.email}` });
    await manual.waitFor({ timeout: 15_000 });
    expect(await manual.textContent()).toContain("200");
    await page.getByText("succeeded", { exact: true }).first().waitFor();
    expect(await attempts.count()).toBe(before + 1);
    await screenshots(page, "live-delivery");

    // Paused: an attempt made meanwhile (a Retry through the API) does not show.
    await page.getByRole("button", { name: "Pause live updates" }).click();
    await expect(liveState().innerText()).resolves.toMatch(/^Paused/);
    const retried = await hookpost.api(`/apps/${appId}/deliveries/${deliveryId}/retry`, { method: "POST" });
    expect(retried.status).toBe(202);
    await waitFor("the API's retry to be made", async () =>
      (await hookpost.db.attempt.count({ where: { deliveryId } })) === before + 2 ? true : undefined,
    );
    await page.waitForTimeout(QUIET_MS);
    expect(await attempts.count()).toBe(before + 1);
    await screenshots(page, "live-delivery-paused");

    // Resumed: it shows, still without a reload.
    await page.getByRole("button", { name: "Resume live updates" }).click();
    await page.locator("section.attempt", { hasText: "manual, by api key test" }).waitFor({ timeout: 10_000 });
    expect(await attempts.count()).toBe(before + 2);
    expect(await samePage()).toBe(true);
  });

  it("puts new deliveries at the top of the log while it is open, and none while paused", async () => {
    receiver.respond(answer(200));
    const { appId, endpointId } = await createAppWithEndpoint("Live Log");
    const first = await sendEvent(appId);
    await page.goto(`${hookpost.baseUrl}/apps/${appId}/endpoints/${endpointId}`);
    await markPage();
    await page.locator(`tr[data-delivery-id="${first}"]`).waitFor();

    const second = await sendEvent(appId);
    await page.locator(`tr[data-delivery-id="${second}"]`).waitFor({ timeout: 10_000 });
    expect(await logIds()).toEqual([second, first]);
    await settled(second, "succeeded");
    // The row follows its delivery: pending, then its 200.
    await page
      .locator(`tr[data-delivery-id="${second}"]`)
      .getByText("succeeded", { exact: true })
      .waitFor({ timeout: 10_000 });

    await page.getByRole("button", { name: "Pause live updates" }).click();
    const third = await sendEvent(appId);
    await settled(third, "succeeded");
    await page.waitForTimeout(QUIET_MS);
    expect(await logIds()).toEqual([second, first]);

    await page.getByRole("button", { name: "Resume live updates" }).click();
    await page.locator(`tr[data-delivery-id="${third}"]`).waitFor({ timeout: 10_000 });
    expect(await logIds()).toEqual([third, second, first]);
    expect(await samePage()).toBe(true);
  });

  it("keeps the reader's place when scrolled into the log or on a later page, and offers the new ones", async () => {
    receiver.respond(answer(200));
    const { appId, endpointId } = await createAppWithEndpoint("Live Place");
    for (let i = 0; i < 30; i++) await sendEvent(appId);
    await page.goto(`${hookpost.baseUrl}/apps/${appId}/endpoints/${endpointId}`);
    await markPage();
    const log = page.getByRole("region", { name: "Deliveries" });
    // The log streams in after the page's head: its last row of the page says it is all there.
    await log.locator("tr[data-delivery-id]").nth(24).waitFor();
    const shown = await logIds();
    expect(shown).toHaveLength(25);

    // Scrolled so that the tenth row is at the top of the screen.
    const tenth = log.locator(`tr[data-delivery-id="${shown[9]}"]`);
    await tenth.evaluate((row) => window.scrollBy(0, row.getBoundingClientRect().top));
    const topBefore = await tenth.evaluate((row) => row.getBoundingClientRect().top);
    expect(await log.evaluate((box) => box.getBoundingClientRect().top)).toBeLessThan(0);

    const fresh = [await sendEvent(appId), await sendEvent(appId), await sendEvent(appId)];
    const offer = page.getByRole("button", { name: "3 new deliveries — show", exact: true });
    await offer.waitFor({ timeout: 15_000 });
    // Nothing moved: the same rows, the tenth where it was, the offer in view.
    expect(await logIds()).toEqual(shown);
    expect(await tenth.evaluate((row) => row.getBoundingClientRect().top)).toBe(topBefore);
    expect(await offer.isVisible()).toBe(true);
    await screenshots(page, "live-log-new-deliveries");

    await offer.click();
    await waitFor("the new rows to show at the top", async () =>
      (await logIds()).slice(0, 3).join() === [...fresh].reverse().join() ? true : undefined,
    );
    expect(await offer.count()).toBe(0);

    // On the second page the rows stay; the new ones are offered as the newest page.
    await page.getByRole("button", { name: "Older" }).click();
    await page.waitForURL(/cursor=/);
    await waitFor("the second page", async () => ((await logIds()).includes(shown[24]!) ? true : undefined));
    const second = await logIds();
    const later = [await sendEvent(appId), await sendEvent(appId)];
    const newest = page.getByRole("button", { name: "2 new deliveries — show newest", exact: true });
    await newest.waitFor({ timeout: 15_000 });
    expect(await logIds()).toEqual(second);
    await newest.click();
    await page.waitForURL((url) => !url.search.includes("cursor="));
    await waitFor("the newest page", async () => ((await logIds())[0] === later[1] ? true : undefined));
    expect(await samePage()).toBe(true);
  });

  it("shows a replay's progress as it goes, and the log's rows follow it without a reload", async () => {
    receiver.respond(answer(500, "down"));
    const { appId, endpointId } = await createAppWithEndpoint("Live Replay");
    const sturdy = [];
    for (let i = 0; i < 20; i++) sturdy.push(await sendEvent(appId, "order.paid"));
    const fragile = [await sendEvent(appId, "order.fragile"), await sendEvent(appId, "order.fragile")];
    for (const id of [...sturdy, ...fragile]) await settled(id, "failed");
    // Back up, except for one event type that keeps failing.
    receiver.respond((request, _index, res) => {
      const failing = request.body.includes('"type":"order.fragile"');
      res.writeHead(failing ? 503 : 200).end(failing ? "still down" : "ok");
    });

    await page.goto(`${hookpost.baseUrl}/apps/${appId}/endpoints/${endpointId}`);
    await markPage();
    await page.getByText("Replay failed deliveries").click();
    await page.getByRole("button", { name: "Replay failed", exact: true }).click();
    await page.getByRole("button", { name: "Confirm replay of 22" }).click();
    const progress = page.getByTestId("replay-progress");
    await expect(progress.innerText()).resolves.toBe("Replaying: 22 pending, 0 succeeded, 0 failed.");
    await screenshots(page, "live-replay-started");
    await waitFor(
      "the replay to finish on the page",
      async () => ((await progress.innerText()) === "Replay finished: 20 succeeded, 2 failed." ? true : undefined),
      30_000,
    );
    expect(await page.getByRole("progressbar", { name: "Replay progress" }).getAttribute("value")).toBe("22");
    // The rows followed: every replayed delivery of the page now says how it went.
    const log = page.getByRole("region", { name: "Deliveries" });
    await waitFor("the log's rows to follow", async () =>
      (await log.getByText("succeeded", { exact: true }).count()) === 20 ? true : undefined,
    );
    for (const id of fragile) {
      expect(await log.locator(`tr[data-delivery-id="${id}"]`).getByText("failed", { exact: true }).count()).toBe(1);
    }
    await screenshots(page, "live-replay-finished");
    expect(await samePage()).toBe(true);

    // A reload keeps it: the page opens the replay panel on the reader's latest replay.
    await page.reload();
    await expect(page.getByTestId("replay-progress").innerText()).resolves.toBe(
      "Replay finished: 20 succeeded, 2 failed.",
    );
    expect(await page.getByRole("progressbar", { name: "Replay progress" }).getAttribute("value")).toBe("22");
  });

  it("are live in a consumer's portal too, within its one app", async () => {
    receiver.respond(answer(500, "not yet"));
    const { appId, endpointId } = await createAppWithEndpoint("Live Portal");
    const failed = await sendEvent(appId);
    await settled(failed, "failed");
    const access = (await (await hookpost.api(`/apps/${appId}/portal-access`, { method: "POST" })).json()) as {
      url: string;
    };
    const portal = await browser.newPage({ viewport: { width: 390, height: 844 } });
    // The link page opens the portal by itself once loaded.
    await portal.goto(access.url);
    await portal.waitForURL(`${hookpost.baseUrl}/apps/${appId}`);
    await portal.goto(`${hookpost.baseUrl}/apps/${appId}/endpoints/${endpointId}`);
    await portal.getByRole("group", { name: "Live updates" }).getByText("Live").waitFor();

    receiver.respond(answer(200));
    const fresh = await sendEvent(appId);
    await portal.locator(`tr[data-delivery-id="${fresh}"]`).waitFor({ timeout: 10_000 });

    await portal.goto(`${hookpost.baseUrl}/apps/${appId}/deliveries/${failed}`);
    await portal.getByRole("button", { name: "Retry" }).click();
    await portal.locator("section.attempt", { hasText: "manual, by portal" }).waitFor({ timeout: 15_000 });
    await screenshots(portal, "live-portal-delivery");
    await portal.close();
  });
});
