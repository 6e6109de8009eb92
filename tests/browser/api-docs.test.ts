// The API reference page in Chromium: the reference renders from the
// served OpenAPI document with the webhook format beside it, at a laptop's
// and a phone's width, with no console error and nothing fetched from
// anywhere but the app itself (it must work without internet access).
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshots, signIn } from "../support/browser";
import { startHookpost, type RunningHookpost } from "../support/hookpost";

let hookpost: RunningHookpost;
let browser: Browser;

beforeAll(async () => {
  [hookpost, browser] = await Promise.all([startHookpost(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await hookpost?.stop();
});

describe("API reference page", () => {
  it("renders every operation and the webhook format, offline, without console errors", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems: string[] = [];
    const elsewhere: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()} at ${message.location().url}`);
    });
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (!["data:", "blob:"].includes(url.protocol) && url.origin !== hookpost.baseUrl) elsewhere.push(url.href);
    });

    await signIn(page, hookpost.baseUrl, await hookpost.createUser("viewer"));
    await page.getByRole("link", { name: "API", exact: true }).click();
    await page.waitForURL(`${hookpost.baseUrl}/docs/api`);
    await page.getByRole("heading", { name: "API reference", level: 1 }).waitFor();

    const webhooks = page.getByRole("region", { name: "The webhooks your customers receive" });
    await expect(webhooks.getByText("webhook-signature").first().isVisible()).resolves.toBe(true);
    await expect(webhooks.getByText('import { verify } from "@hookpost/receiver"').isVisible()).resolves.toBe(true);

    // Scalar has rendered the document: its title, every tag in its sidebar, and the operations they open to.
    const reference = page.getByRole("region", { name: "API reference" });
    await reference.getByRole("heading", { name: "Hookpost API", level: 1 }).waitFor({ timeout: 30_000 });
    for (const tag of ["Apps", "Endpoints", "Events", "Deliveries", "Portal", "Webhooks"]) {
      await expect(reference.getByRole("link", { name: tag, exact: true }).isVisible(), tag).resolves.toBe(true);
    }
    const open = async (group: string, operation: string) => {
      await reference.getByRole("button", { name: `Open Group - ${group}` }).click();
      await reference.getByRole("link", { name: new RegExp(`^${operation}`) }).click();
      await reference.getByRole("heading", { name: operation, level: 3 }).waitFor();
    };
    await open("Events", "Send an event");
    await expect(reference.getByText("Idempotency-Key").first().isVisible()).resolves.toBe(true);
    await open("Webhooks", "An event, as your customers' endpoints receive it");
    await expect(reference.getByText("webhook-signature").first().isVisible()).resolves.toBe(true);
    await page.waitForLoadState("networkidle");
    await screenshots(page, "api-docs");
    // At a phone's width the page does not scroll sideways (code samples scroll in their own boxes).
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);

    expect(problems).toEqual([]);
    expect(elsewhere).toEqual([]);
  });
});
