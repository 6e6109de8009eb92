// Every time on the dashboard is exact, names its zone and says how long
// ago it was; the reader switches between their own zone and UTC, and the
// log's filters read what is typed in the zone they name.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshots, signIn } from "../support/browser";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { startReceiver, type TestReceiver } from "../support/receiver";
import { waitFor } from "../support/services";

/** A zone with a half-hour offset and no daylight saving: a wrong conversion cannot pass by luck. */
const ZONE = "Asia/Kolkata";
const OFFSET_MS = 5.5 * 3_600_000;

let hookpost: RunningHookpost;
let receiver: TestReceiver;
let browser: Browser;
let page: Page;

const pad = (value: number) => String(value).padStart(2, "0");

/** "2026-12-05 17:42:10": the date's UTC fields, shifted by `offsetMs`. */
function wallClock(date: Date, offsetMs: number): string {
  const shifted = new Date(date.getTime() + offsetMs);
  return (
    `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())} ` +
    `${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}`
  );
}

/** The value a datetime-local input takes for the date, in the zone `offsetMs` from UTC. */
function inputValue(date: Date, offsetMs: number): string {
  return wallClock(date, offsetMs).slice(0, 16).replace(" ", "T");
}

beforeAll(async () => {
  [hookpost, receiver, browser] = await Promise.all([startHookpost(), startReceiver(), launchBrowser()]);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: ZONE });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await hookpost?.stop();
  await receiver?.close();
});

describe("times on the dashboard", () => {
  it("are exact with their zone, switch between local time and UTC, and filter in the zone they name", async () => {
    const app = (await (await hookpost.api("/apps", { body: { name: "Clockwork" } })).json()) as { id: string };
    const endpoint = (await (
      await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url: receiver.url } })
    ).json()) as {
      id: string;
    };
    const sent = await hookpost.api(`/apps/${app.id}/events`, { body: { eventType: "tick", payload: { n: 1 } } });
    const event = (await sent.json()) as { id: string };
    const delivery = await waitFor("the delivery to succeed", async () => {
      const row = await hookpost.db.delivery.findFirst({ where: { eventId: event.id } });
      return row?.status === "succeeded" ? row : undefined;
    });

    await signIn(page, hookpost.baseUrl, await hookpost.createUser("admin"));
    const endpointPage = `${hookpost.baseUrl}/apps/${app.id}/endpoints/${endpoint.id}`;
    await page.goto(endpointPage);
    const row = page.locator(`tr[data-delivery-id="${delivery.id}"]`);

    // The reader's own zone by default, with its offset, and how long ago.
    await row.getByText(`${wallClock(delivery.createdAt, OFFSET_MS)} GMT+5:30`).waitFor();
    expect(await row.textContent()).toMatch(/\((now|\d+ seconds? ago|\d+ minutes? ago)\)/);
    // Named as the browser names it (Chromium may say Asia/Calcutta).
    const zoneName = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    const filters = page.getByRole("form", { name: "Filter deliveries" });
    await filters.getByLabel(`From (${zoneName})`).waitFor();

    // UTC at a click, kept for the next page.
    await page.getByRole("button", { name: "Show times in UTC" }).click();
    await row.getByText(`${wallClock(delivery.createdAt, 0)} UTC`).waitFor();
    await page.reload();
    await row.getByText(`${wallClock(delivery.createdAt, 0)} UTC`).waitFor();
    await screenshots(page, "times-utc");

    // A filter typed in UTC means that UTC time: from the next minute on, the delivery is gone.
    const nextMinute = new Date(Math.floor(delivery.createdAt.getTime() / 60_000) * 60_000 + 60_000);
    await filters.getByLabel("From (UTC)").fill(inputValue(nextMinute, 0));
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL((url) => url.searchParams.get("from") === nextMinute.toISOString());
    await row.waitFor({ state: "detached" });

    // The same instant typed in the reader's zone is the same filter.
    await page.goto(endpointPage);
    await page.getByRole("button", { name: "Show times in local time" }).click();
    await row.getByText(`${wallClock(delivery.createdAt, OFFSET_MS)} GMT+5:30`).waitFor();
    const thisMinute = new Date(nextMinute.getTime() - 60_000);
    await filters.getByLabel(`From (${zoneName})`).fill(inputValue(thisMinute, OFFSET_MS));
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL((url) => url.searchParams.get("from") === thisMinute.toISOString());
    await row.waitFor();

    // Replay's range names its zone too, and starts a day back in it.
    const replay = page.locator(".panel", { hasText: "Replay failed deliveries" });
    await replay.getByText("Replay failed deliveries").click();
    await replay.getByLabel(`To (${zoneName})`).waitFor();
    const replayFrom = await replay.getByLabel(`From (${zoneName})`).inputValue();
    const dayBack = new Date(Date.now() - 24 * 3_600_000);
    expect(Math.abs(new Date(`${replayFrom}:00Z`).getTime() - OFFSET_MS - dayBack.getTime())).toBeLessThan(120_000);
  });
});
