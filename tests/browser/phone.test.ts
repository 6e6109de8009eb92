// Every page at a phone's width (390 px): the page itself never scrolls
// sideways; a table wider than the screen scrolls inside its own box, which
// says so and can be scrolled from the keyboard.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshots, signIn } from "../support/browser";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { answer, startReceiver, type TestReceiver } from "../support/receiver";
import { waitFor } from "../support/services";

let hookpost: RunningHookpost;
let receiver: TestReceiver;
let browser: Browser;

beforeAll(async () => {
  [hookpost, receiver, browser] = await Promise.all([
    startHookpost({ env: { RETRY_SCHEDULE: "200ms" } }),
    startReceiver(answer(503, "maintenance window, back at 03:00")),
    launchBrowser(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await hookpost?.stop();
  await receiver?.close();
});

/** How far the page reaches past the screen's right edge, in CSS pixels. */
const pageOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe("at a phone's width", () => {
  it("no page scrolls sideways, and a wide table scrolls in its box with a hint", async () => {
    const app = (await (
      await hookpost.api("/apps", { body: { name: "Counts and reconciliations for the northern warehouses" } })
    ).json()) as { id: string };
    const endpoint = (await (
      await hookpost.api(`/apps/${app.id}/endpoints`, {
        body: { url: `${receiver.url}/hooks/warehouse-reconciliation-events`, description: "Reconciliation" },
      })
    ).json()) as { id: string };
    const event = (await (
      await hookpost.api(`/apps/${app.id}/events`, {
        body: { eventType: "warehouse.count.reconciled", payload: { warehouse: "north-7", skus: 1200 } },
      })
    ).json()) as { id: string };
    const delivery = await waitFor("the delivery to fail", async () => {
      const row = await hookpost.db.delivery.findFirst({ where: { eventId: event.id } });
      return row?.status === "failed" ? row : undefined;
    });

    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(page, hookpost.baseUrl, await hookpost.createUser("admin"));
    const base = `${hookpost.baseUrl}/apps/${app.id}`;
    const pages = [
      `${hookpost.baseUrl}/apps`,
      base,
      `${base}/endpoints/${endpoint.id}`,
      `${base}/endpoints/${endpoint.id}/edit`,
      `${base}/endpoints/new`,
      `${base}/deliveries/${delivery.id}`,
      `${base}/activity`,
      `${hookpost.baseUrl}/system`,
      `${hookpost.baseUrl}/account`,
    ];
    for (const url of pages) {
      await page.goto(url);
      await page.waitForLoadState("networkidle");
      expect(await pageOverflow(page), url).toBeLessThanOrEqual(0);
    }

    // The delivery log is wider than the phone: it scrolls in its box, which says so.
    await page.goto(`${base}/endpoints/${endpoint.id}`);
    const log = page.getByRole("region", { name: "Deliveries" });
    await log.locator(`tr[data-delivery-id="${delivery.id}"]`).waitFor();
    const [scrollWidth, clientWidth] = await log.evaluate((box) => [box.scrollWidth, box.clientWidth]);
    expect(scrollWidth).toBeGreaterThan(clientWidth);
    await page.getByText("Scroll sideways for more columns").first().waitFor();
    await log.focus();
    await page.keyboard.press("ArrowRight");
    await waitFor("the log to scroll from the keyboard", async () =>
      (await log.evaluate((box) => box.scrollLeft)) > 0 ? true : undefined,
    );
    // The log starts within about a screen and a half, not below every panel.
    const logTop = await page
      .getByRole("heading", { name: "Deliveries", exact: true })
      .evaluate((heading) => heading.getBoundingClientRect().top + window.scrollY);
    expect(logTop).toBeLessThan(1_300);
    // And one tap from the top: the link beside the title brings it on screen.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.getByRole("link", { name: "Deliveries", exact: true }).click();
    await waitFor("the log's heading to come on screen", async () => {
      const top = await page
        .getByRole("heading", { name: "Deliveries", exact: true })
        .evaluate((heading) => heading.getBoundingClientRect().top);
      return top >= 0 && top < 844 / 2 ? true : undefined;
    });
    await screenshots(page, "phone-endpoint");
    await page.close();
  });
});
