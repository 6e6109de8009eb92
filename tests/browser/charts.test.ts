// The dashboard's charts in Chromium: an endpoint's last 24 hours and the
// System page's throughput and success rate have a time axis, a count (or
// percent) axis, a legend and a tooltip on hover, and fit a 390 px phone.
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshots, signIn } from "../support/browser";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { startReceiver, type TestReceiver } from "../support/receiver";
import { waitFor } from "../support/services";

let hookpost: RunningHookpost;
let receiver: TestReceiver;
let browser: Browser;
let page: Page;
let appId: string;
let endpointId: string;

beforeAll(async () => {
  [hookpost, receiver, browser] = await Promise.all([
    startHookpost({ env: { RETRY_SCHEDULE: "1h" } }),
    startReceiver((request, _index, res) => {
      // One event in four fails.
      const failing = request.body.includes('"n":0');
      res.writeHead(failing ? 500 : 200).end(failing ? "boom" : "ok");
    }),
    launchBrowser(),
  ]);
  const app = (await (await hookpost.api("/apps", { body: { name: "Charted" } })).json()) as { id: string };
  appId = app.id;
  const endpoint = (await (await hookpost.api(`/apps/${appId}/endpoints`, { body: { url: receiver.url } })).json()) as {
    id: string;
  };
  endpointId = endpoint.id;
  for (let i = 0; i < 8; i++) {
    await hookpost.api(`/apps/${appId}/events`, { body: { eventType: "a", payload: { n: i % 4 } } });
  }
  await waitFor("eight attempts", async () => ((await hookpost.db.attempt.count()) === 8 ? true : undefined));
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await signIn(page, hookpost.baseUrl, await hookpost.createUser("viewer"));
});

afterAll(async () => {
  await browser?.close();
  await hookpost?.stop();
  await receiver?.close();
});

/** The tick labels of a chart's axis ("x" or "y"), SVG text. */
const ticks = (chart: Locator, axis: "x" | "y") =>
  chart.locator(`.recharts-${axis}Axis-tick-labels .recharts-cartesian-axis-tick-value`).allTextContents();

/** Hovers the chart's last bar or point and answers the tooltip's text. */
async function tooltipOfLast(chart: Locator, mark: string): Promise<string> {
  await chart.locator(mark).last().hover({ force: true });
  const tooltip = chart.locator(".recharts-tooltip-wrapper");
  await waitFor("the tooltip", async () => ((await tooltip.innerText()).trim() !== "" ? true : undefined));
  return tooltip.innerText();
}

/** How far the chart reaches past the right edge of its panel, in CSS pixels. */
const overflow = (chart: Locator) =>
  chart.evaluate((figure) => {
    const svg = figure.querySelector("svg.recharts-surface")!.getBoundingClientRect();
    const panel = figure.closest(".panel")!.getBoundingClientRect();
    return Math.max(0, svg.right - panel.right);
  });

describe("charts", () => {
  it("show an endpoint's last 24 hours by the hour with axes, a legend and a tooltip", async () => {
    await page.goto(`${hookpost.baseUrl}/apps/${appId}/endpoints/${endpointId}`);
    const chart = page.getByRole("figure", { name: "Attempts per hour: 6 succeeded, 2 failed" });
    await chart.locator(".recharts-bar-rectangle path").first().waitFor();
    const hours = await ticks(chart, "x");
    expect(hours.length).toBeGreaterThan(2);
    expect(hours.every((tick) => /^\d\d:00$/.test(tick))).toBe(true);
    expect((await ticks(chart, "y")).length).toBeGreaterThan(1);
    expect(await chart.locator(".recharts-legend-item-text").allInnerTexts()).toEqual(["Succeeded", "Failed"]);
    const tooltip = await tooltipOfLast(chart, ".recharts-bar-rectangle path");
    expect(tooltip).toMatch(/\d{4}-\d\d-\d\d \d\d:00–\d\d:00 \S+/);
    expect(tooltip).toContain("Succeeded : 6");
    expect(tooltip).toContain("Failed : 2");
    await screenshots(page, "chart-endpoint");
  });

  it("show the System page's throughput and success rate in 10-minute buckets, with tooltips", async () => {
    const operator = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(operator, hookpost.baseUrl, await hookpost.createUser("admin"));
    await operator.goto(`${hookpost.baseUrl}/system`);
    const throughput = operator.getByRole("figure", { name: "Attempts per 10 minutes: 6 succeeded, 2 failed" });
    await throughput.locator(".recharts-bar-rectangle path").first().waitFor();
    // Six hours in 10-minute bars: a few dozen, not one per minute.
    const bars = await throughput.locator(".recharts-bar-rectangle path").count();
    expect(bars).toBeGreaterThan(0);
    expect(bars).toBeLessThanOrEqual(2 * 37);
    const times = await ticks(throughput, "x");
    expect(times.length).toBeGreaterThan(2);
    expect(times.every((tick) => /^\d\d:\d0$/.test(tick))).toBe(true);
    expect(await throughput.locator(".recharts-legend-item-text").allInnerTexts()).toEqual(["Succeeded", "Failed"]);
    const barTip = await tooltipOfLast(throughput, ".recharts-bar-rectangle path");
    expect(barTip).toMatch(/\d\d:\d0–\d\d:\d0/);
    expect(barTip).toContain("Succeeded : 6");

    const rate = operator.getByRole("figure", { name: "Success rate per 10 minutes: lowest 75%" });
    await rate.locator(".recharts-line-dot").first().waitFor();
    expect(await ticks(rate, "y")).toEqual(["0%", "25%", "50%", "75%", "100%"]);
    expect(await rate.locator(".recharts-legend-item-text").allInnerTexts()).toEqual(["Success rate"]);
    expect(await tooltipOfLast(rate, ".recharts-line-dot")).toContain("Succeeded : 75%");
    await screenshots(operator, "chart-system");

    // At a phone's width each chart stays inside its panel, with its axes and legend.
    await operator.setViewportSize({ width: 390, height: 844 });
    for (const chart of [throughput, rate]) {
      await waitFor("the chart to fit the phone", async () => ((await overflow(chart)) <= 0 ? true : undefined));
      expect((await ticks(chart, "x")).length).toBeGreaterThan(0);
      expect(await chart.locator(".recharts-legend-item-text").count()).toBeGreaterThan(0);
    }
    await operator.close();
  });
});
