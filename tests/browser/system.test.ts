// The operator's System page in Chromium: figures that move with real
// deliveries, and no way in for a consumer's portal session.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshots, signIn } from "../support/browser";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { startReceiver, type TestReceiver } from "../support/receiver";
import { waitFor } from "../support/services";

let hookpost: RunningHookpost;
let receiver: TestReceiver;
let browser: Browser;

beforeAll(async () => {
  [hookpost, receiver, browser] = await Promise.all([
    startHookpost({ env: { RETRY_SCHEDULE: "1h" } }),
    startReceiver((request, _index, res) => {
      // Events with n = 0 (every third) fail, so both colours and the failing table show.
      const failing = request.body.includes('"n":0');
      res.writeHead(failing ? 500 : 200).end(failing ? "boom" : "ok");
    }),
    launchBrowser(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await hookpost?.stop();
  await receiver?.close();
});

describe("system page", () => {
  it("shows the success rate, throughput and the failing endpoint", async () => {
    const app = (await (await hookpost.api("/apps", { body: { name: "Busy" } })).json()) as { id: string };
    await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url: receiver.url } });
    for (let i = 0; i < 9; i++) {
      await hookpost.api(`/apps/${app.id}/events`, { body: { eventType: "a", payload: { n: i % 3 } } });
    }
    await waitFor("nine attempts", async () => ((await hookpost.db.attempt.count()) === 9 ? true : undefined));

    const page = await browser.newPage();
    await signIn(page, hookpost.baseUrl, await hookpost.createUser("admin"));
    await page.getByRole("link", { name: "System" }).click();
    await page.waitForURL(`${hookpost.baseUrl}/system`);
    await expect(page.getByRole("heading", { name: "System" }).isVisible()).resolves.toBe(true);
    // 6 of 9 succeeded.
    await expect(page.getByText("66.7%", { exact: true }).isVisible()).resolves.toBe(true);
    const chart = page.getByRole("figure", { name: /Attempts per 10 minutes: 6 succeeded, 3 failed/ });
    await expect(chart.isVisible()).resolves.toBe(true);
    await expect(
      page.getByRole("figure", { name: "Success rate per 10 minutes: lowest 66.7%" }).isVisible(),
    ).resolves.toBe(true);
    // The three failures wait an hour for their retry (RETRY_SCHEDULE), in their rows; nothing is due.
    const scheduled = page.getByRole("group", { name: "Retries scheduled" });
    await expect(scheduled.locator(".value").textContent()).resolves.toBe("3");
    const due = page.getByRole("group", { name: "Deliveries due now" });
    await expect(due.locator(".value").textContent()).resolves.toBe("0");
    await expect(due.getByText("none waiting").isVisible()).resolves.toBe(true);
    const failing = page.getByRole("region", { name: "Most failing endpoints" });
    await expect(failing.getByRole("link", { name: receiver.url }).isVisible()).resolves.toBe(true);
    // Each endpoint with the app it belongs to, by name.
    await expect(failing.getByRole("link", { name: "Busy", exact: true }).isVisible()).resolves.toBe(true);
    await screenshots(page, "system");
    await page.close();
  });

  it("warns about a failing endpoint with its failure class and when it will be disabled", async () => {
    const app = (await (await hookpost.api("/apps", { body: { name: "Failing" } })).json()) as { id: string };
    const endpoint = (await (
      await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url: "http://127.0.0.1:9/refused" } })
    ).json()) as { id: string };
    await hookpost.api(`/apps/${app.id}/events`, { body: { eventType: "a", payload: {} } });
    await waitFor("the endpoint to start failing", async () => {
      const row = await hookpost.db.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
      return row.failingSince ? true : undefined;
    });

    const page = await browser.newPage();
    await signIn(page, hookpost.baseUrl, await hookpost.createUser("viewer"));
    await page.goto(`${hookpost.baseUrl}/apps/${app.id}`);
    await expect(page.getByText("failing: refused").isVisible()).resolves.toBe(true);
    await page.goto(`${hookpost.baseUrl}/apps/${app.id}/endpoints/${endpoint.id}`);
    const notice = page.getByRole("status").filter({ hasText: "Failing (refused) since" });
    await expect(notice.innerText()).resolves.toMatch(
      /Hookpost disables it on \d{4}-\d\d-\d\d [\d:]+ \S+ \(in 5 days\) unless/,
    );
    await page.close();
  });

  it("is not found from a consumer's portal session", async () => {
    const app = (await (await hookpost.api("/apps", { body: { name: "Portal" } })).json()) as { id: string };
    const access = (await (await hookpost.api(`/apps/${app.id}/portal-access`, { method: "POST" })).json()) as {
      url: string;
    };
    const page = await browser.newPage();
    // The link page opens the portal by itself once loaded.
    await page.goto(access.url);
    await page.waitForURL(`${hookpost.baseUrl}/apps/${app.id}`);
    const response = await page.goto(`${hookpost.baseUrl}/system`);
    expect(response?.status()).toBe(404);
    await page.close();
  });
});
