// The top bar's search in Chromium: each kind of key leads straight to its
// object, a key naming several objects lists them, an unknown one says
// nothing was found, and the portal finds only its own app's objects.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshots, signIn } from "../support/browser";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { startReceiver, type TestReceiver } from "../support/receiver";
import { waitFor } from "../support/services";

let hookpost: RunningHookpost;
let receiver: TestReceiver;
let browser: Browser;
let acme: { id: string };
let other: { id: string };
let endpointIds: string[];
/** Sent with an Idempotency-Key to acme's two endpoints. */
let shared: { eventId: string; deliveryIds: string[] };
/** Sent with the sender's own eventId, to acme's second endpoint only. */
let single: { eventId: string; deliveryId: string };
let otherDeliveryId: string;

async function send(appId: string, body: object, headers: Record<string, string> = {}): Promise<string> {
  const response = await hookpost.api(`/apps/${appId}/events`, { body, headers });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

async function deliveriesOf(eventId: string, count: number): Promise<string[]> {
  return waitFor(`the ${count} deliveries of ${eventId}`, async () => {
    const rows = await hookpost.db.delivery.findMany({ where: { eventId }, orderBy: { id: "asc" } });
    return rows.length === count ? rows.map((row) => row.id) : undefined;
  });
}

beforeAll(async () => {
  [hookpost, receiver, browser] = await Promise.all([startHookpost(), startReceiver(), launchBrowser()]);
  const createApp = async (name: string, uid: string) =>
    (await (await hookpost.api("/apps", { body: { name, uid } })).json()) as { id: string };
  acme = await createApp("Acme", "acme");
  other = await createApp("Other", "other");
  endpointIds = [];
  for (const eventTypes of [["order.created"], []]) {
    const response = await hookpost.api(`/apps/${acme.id}/endpoints`, { body: { url: receiver.url, eventTypes } });
    endpointIds.push(((await response.json()) as { id: string }).id);
  }
  await hookpost.api(`/apps/${other.id}/endpoints`, { body: { url: receiver.url } });
  const sharedId = await send(acme.id, { eventType: "order.created", payload: {} }, { "Idempotency-Key": "order-1" });
  shared = { eventId: sharedId, deliveryIds: await deliveriesOf(sharedId, 2) };
  const singleId = await send(acme.id, { eventType: "order.paid", payload: {}, eventId: "their-7" });
  single = { eventId: singleId, deliveryId: (await deliveriesOf(singleId, 1))[0]! };
  const otherId = await send(other.id, { eventType: "order.created", payload: {} }, { "Idempotency-Key": "order-1" });
  otherDeliveryId = (await deliveriesOf(otherId, 1))[0]!;
});

afterAll(async () => {
  await browser?.close();
  await hookpost?.stop();
  await receiver?.close();
});

async function find(page: Page, key: string): Promise<void> {
  const bar = page.getByRole("search", { name: "Find by id or key" });
  await bar.getByLabel("Find by id or idempotency key").fill(key);
  await bar.getByRole("button", { name: "Find" }).click();
}

describe("search from the top bar", () => {
  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    it(`goes straight to the one object a key names, at ${viewport.width} px`, async () => {
      const page = await browser.newPage({ viewport });
      await signIn(page, hookpost.baseUrl, await hookpost.createUser("viewer"));
      const base = `${hookpost.baseUrl}/apps`;
      const straight: Array<[string, string]> = [
        [shared.deliveryIds[0]!, `${base}/${acme.id}/deliveries/${shared.deliveryIds[0]}`],
        [single.eventId, `${base}/${acme.id}/deliveries/${single.deliveryId}`],
        ["their-7", `${base}/${acme.id}/deliveries/${single.deliveryId}`],
        [endpointIds[1]!, `${base}/${acme.id}/endpoints/${endpointIds[1]}`],
        ["other", `${base}/${other.id}`],
      ];
      for (const [key, destination] of straight) {
        await find(page, key);
        await page.waitForURL(destination);
      }
      await page.getByRole("heading", { name: "Other" }).waitFor();
      await page.close();
    });

    it(`lists what a key names when it names several, and says when it names nothing, at ${viewport.width} px`, async () => {
      const page = await browser.newPage({ viewport });
      await signIn(page, hookpost.baseUrl, await hookpost.createUser("admin"));
      // One idempotency key, used by two apps.
      await find(page, "order-1");
      await page.waitForURL(/\/search\?q=order-1$/);
      const results = page.getByRole("list", { name: "Results" });
      await page.getByText("2 results for “order-1”").waitFor();
      expect(await results.getByText("found by its idempotency key").count()).toBe(2);
      expect(await results.getByText("in Other").count()).toBe(1);
      // Acme's event went to two endpoints: both deliveries are listed, each a link.
      const acmeDeliveries = page.getByRole("list", { name: `Deliveries of ${shared.eventId}` });
      expect(await acmeDeliveries.getByRole("link").count()).toBe(2);
      // Other's went to one endpoint: its title leads to that delivery.
      expect(await results.getByRole("link", { name: /^order\.created \(msg_/ }).count()).toBe(1);
      await screenshots(page, "search-results");
      // The key stays in the box, to be corrected.
      expect(await page.getByLabel("Find by id or idempotency key").inputValue()).toBe("order-1");

      // An event going to two endpoints lists its deliveries too.
      await find(page, shared.eventId);
      await page.getByText(`1 result for “${shared.eventId}”`).waitFor();
      await acmeDeliveries.getByRole("link").first().click();
      await page.waitForURL(new RegExp(`/apps/${acme.id}/deliveries/dlv_`));

      await find(page, "no-such-key");
      await page.getByText("Nothing found for “no-such-key”").waitFor();
      await screenshots(page, "search-nothing-found");
      // A key no object can have is refused with the reason, searching nothing.
      await page.goto(`${hookpost.baseUrl}/search?q=${"x".repeat(257)}`);
      await page.getByText("a key has at most 256 characters").waitFor();
      await page.close();
    });
  }

  it("finds in the portal only what belongs to its own app", async () => {
    const link = (await (await hookpost.api(`/apps/${acme.id}/portal-access`, { method: "POST" })).json()) as {
      url: string;
    };
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(link.url);
    await page.waitForURL(`${hookpost.baseUrl}/apps/${acme.id}`);
    // The key two apps share leads to acme's event alone, which went to two endpoints.
    await find(page, "order-1");
    await page.getByText("1 result for “order-1”").waitFor();
    expect(await page.getByText("in Other").count()).toBe(0);
    await find(page, single.eventId);
    await page.waitForURL(`${hookpost.baseUrl}/apps/${acme.id}/deliveries/${single.deliveryId}`);
    for (const key of [otherDeliveryId, other.id, "other"]) {
      await find(page, key);
      await page.getByText(`Nothing found for “${key}”`).waitFor();
    }
    await screenshots(page, "search-portal");
    await page.close();
  });
});
