// The delivery page gives what someone debugging an endpoint pastes
// elsewhere, a click each: ids, the URL, the payload, each header sent,
// each response body; and a long payload opens to its full length.
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

beforeAll(async () => {
  [hookpost, receiver, browser] = await Promise.all([
    startHookpost(),
    startReceiver(answer(200, "received, thanks")),
    launchBrowser(),
  ]);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await hookpost?.stop();
  await receiver?.close();
});

async function copied(name: string): Promise<string> {
  await page
    .getByRole("button", { name: `Copy ${name}`, exact: true })
    .first()
    .click();
  await page
    .getByRole("button", { name: `Copy ${name}`, exact: true })
    .first()
    .getByText("Copied")
    .waitFor();
  return page.evaluate(() => navigator.clipboard.readText());
}

describe("the delivery page", () => {
  it("copies ids, the URL, the payload, headers and response bodies, and expands a long payload", async () => {
    const app = (await (await hookpost.api("/apps", { body: { name: "Copies" } })).json()) as { id: string };
    await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url: receiver.url } });
    const lines = Array.from({ length: 80 }, (_, i) => ({ sku: `SKU-${i}`, quantity: i }));
    const sent = await hookpost.api(`/apps/${app.id}/events`, {
      body: { eventType: "order.packed", payload: { lines } },
    });
    const event = (await sent.json()) as { id: string };
    const delivery = await waitFor("the delivery to succeed", async () => {
      const row = await hookpost.db.delivery.findFirst({ where: { eventId: event.id } });
      return row?.status === "succeeded" ? row : undefined;
    });

    await signIn(page, hookpost.baseUrl, await hookpost.createUser("viewer"));
    await page.goto(`${hookpost.baseUrl}/apps/${app.id}/deliveries/${delivery.id}`);

    expect(await copied("delivery id")).toBe(delivery.id);
    expect(await copied("event id")).toBe(event.id);
    expect(await copied("endpoint URL")).toBe(receiver.url);
    expect(JSON.parse(await copied("payload"))).toEqual({ lines });
    const request = receiver.requests[0]!;
    expect(await copied("webhook-signature")).toBe(request.headers["webhook-signature"]);
    expect(await copied("webhook-id")).toBe(event.id);
    expect(await copied("response body")).toBe("received, thanks");

    // Collapsed, the payload scrolls in a box; expanded, all of it shows.
    const payload = page.getByTestId("payload");
    const overflow = () => payload.evaluate((box) => box.scrollHeight - box.clientHeight);
    expect(await overflow()).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Expand" }).click();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshots(page, "delivery-expanded");
    await page.getByRole("button", { name: "Collapse" }).click();
    expect(await overflow()).toBeGreaterThan(0);
  });
});
