// Every page, as an admin, a viewer, a consumer in the portal and someone
// signed out, at a laptop's and a phone's width, checked by axe-core: no
// serious or critical violation. Then the keyboard alone: the main actions
// are reached with Tab and show where focus is, and a dialog keeps focus
// inside until Escape closes it and hands focus back to its opener.
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshots, signIn } from "../support/browser";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { answer, startReceiver, type TestReceiver } from "../support/receiver";
import { waitFor } from "../support/services";

type Who = "admin" | "viewer" | "portal" | "signed out";

interface Ids {
  appId: string;
  endpointId: string;
  failingEndpointId: string;
  deliveryId: string;
  eventId: string;
}

interface PageToCheck {
  name: string;
  path: (ids: Ids) => string;
  /** Who sees it; a viewer is also checked on the pages offering changes, where theirs are disabled. */
  as: Who[];
}

const OPERATORS: Who[] = ["admin", "viewer"];
const EVERYONE_SIGNED_IN: Who[] = ["admin", "viewer", "portal"];

/** Every page of the dashboard and the portal. A new page is one more line here. */
const PAGES: PageToCheck[] = [
  { name: "sign-in", path: () => "/login", as: ["signed out"] },
  { name: "not found, signed out", path: () => "/no/such/page", as: ["signed out"] },
  { name: "portal link used up", path: () => "/portal/this-link-was-never-issued-at-all", as: ["signed out"] },
  { name: "portal left", path: () => "/portal/left", as: ["signed out"] },
  { name: "apps", path: () => "/apps", as: OPERATORS },
  { name: "app", path: (ids) => `/apps/${ids.appId}`, as: EVERYONE_SIGNED_IN },
  { name: "endpoint", path: (ids) => `/apps/${ids.appId}/endpoints/${ids.endpointId}`, as: EVERYONE_SIGNED_IN },
  {
    name: "failing endpoint",
    path: (ids) => `/apps/${ids.appId}/endpoints/${ids.failingEndpointId}`,
    as: EVERYONE_SIGNED_IN,
  },
  {
    name: "endpoint log, filtered",
    path: (ids) => `/apps/${ids.appId}/endpoints/${ids.endpointId}?status=succeeded&q=${ids.eventId}`,
    as: ["admin"],
  },
  { name: "new endpoint", path: (ids) => `/apps/${ids.appId}/endpoints/new`, as: EVERYONE_SIGNED_IN },
  {
    name: "edit endpoint",
    path: (ids) => `/apps/${ids.appId}/endpoints/${ids.endpointId}/edit`,
    as: ["admin", "portal"],
  },
  { name: "delivery", path: (ids) => `/apps/${ids.appId}/deliveries/${ids.deliveryId}`, as: EVERYONE_SIGNED_IN },
  { name: "activity", path: (ids) => `/apps/${ids.appId}/activity`, as: EVERYONE_SIGNED_IN },
  { name: "event types", path: (ids) => `/apps/${ids.appId}/event-types`, as: EVERYONE_SIGNED_IN },
  { name: "new event type", path: (ids) => `/apps/${ids.appId}/event-types/new`, as: ["admin"] },
  { name: "app settings", path: (ids) => `/apps/${ids.appId}/settings`, as: OPERATORS },
  { name: "system", path: () => "/system", as: OPERATORS },
  { name: "account", path: () => "/account", as: OPERATORS },
  // An idempotency key whose event went to two endpoints: a list, not a redirect.
  { name: "search results", path: () => "/search?q=a11y-1", as: EVERYONE_SIGNED_IN },
  { name: "search, nothing found", path: () => "/search?q=nothing-has-this-key", as: EVERYONE_SIGNED_IN },
  { name: "search, no key yet", path: () => "/search", as: ["admin"] },
  { name: "not found", path: () => "/no/such/page", as: EVERYONE_SIGNED_IN },
];

const WIDTHS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

let hookpost: RunningHookpost;
let receiver: TestReceiver;
let browser: Browser;
let ids: Ids;

async function createEndpoint(appId: string, url: string): Promise<string> {
  const response = await hookpost.api(`/apps/${appId}/endpoints`, {
    body: { url, description: "Orders service", eventTypes: ["invoice.paid", "invoice.voided"] },
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

beforeAll(async () => {
  [hookpost, receiver, browser] = await Promise.all([
    startHookpost({ env: { RETRY_SCHEDULE: "200ms" } }),
    startReceiver(answer(200, "thanks")),
    launchBrowser(),
  ]);
  const app = (await (await hookpost.api("/apps", { body: { name: "Lighthouse", uid: "lighthouse" } })).json()) as {
    id: string;
  };
  const endpointId = await createEndpoint(app.id, receiver.url);
  // Nothing listens there: its deliveries fail, so the failing states and their badges are on the pages too.
  const failingEndpointId = await createEndpoint(app.id, "http://127.0.0.1:9/hooks");
  const events: string[] = [];
  for (const key of ["a11y-1", "a11y-2"]) {
    const response = await hookpost.api(`/apps/${app.id}/events`, {
      headers: { "Idempotency-Key": key },
      body: { eventType: "invoice.paid", payload: { invoice: key } },
    });
    expect(response.status).toBe(202);
    events.push(((await response.json()) as { id: string }).id);
  }
  const deliveryId = await waitFor("the first event's delivery to succeed", async () => {
    const row = await hookpost.db.delivery.findFirst({ where: { eventId: events[0], endpointId } });
    return row?.status === "succeeded" ? row.id : undefined;
  });
  await waitFor("the failing endpoint's deliveries to fail", async () => {
    const failed = await hookpost.db.delivery.count({ where: { endpointId: failingEndpointId, status: "failed" } });
    return failed === events.length ? true : undefined;
  });
  // Something in the activity log.
  expect((await hookpost.api(`/apps/${app.id}/endpoints/${endpointId}/secret/rotate`, { method: "POST" })).status).toBe(
    200,
  );
  ids = { appId: app.id, endpointId, failingEndpointId, deliveryId, eventId: events[0]! };
});

afterAll(async () => {
  await browser?.close();
  await hookpost?.stop();
  await receiver?.close();
});

/** A page as `who` sees it, in a context of its own. */
async function pageAs(who: Who): Promise<Page> {
  const page = await browser.newPage({ viewport: WIDTHS[0] });
  if (who === "admin" || who === "viewer") {
    await signIn(page, hookpost.baseUrl, await hookpost.createUser(who));
  } else if (who === "portal") {
    const link = (await (await hookpost.api(`/apps/${ids.appId}/portal-access`, { method: "POST" })).json()) as {
      url: string;
    };
    await page.goto(link.url);
    await page.waitForURL(`${hookpost.baseUrl}/apps/${ids.appId}`);
  }
  return page;
}

/** The serious and critical violations on the page as it is now, one line each. */
async function violations(page: Page, where: string): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"])
    .analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .flatMap((violation) =>
      violation.nodes.map(
        (node) =>
          `${where}: ${violation.id} (${violation.impact}) at ${node.target.join(" ")}: ${node.failureSummary?.replace(/\s+/g, " ") ?? violation.help}`,
      ),
    );
}

/** Waits until the page has hydrated and its times are shown in the reader's zone. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
}

/** A dozen pages, each twice, each read by axe: longer than one page's test. */
const EVERY_PAGE_TIMEOUT_MS = 240_000;

describe("accessibility", () => {
  for (const who of ["admin", "viewer", "portal", "signed out"] as const) {
    it(
      `has no serious or critical axe violation on any page, as ${who}, at 1280 and 390 px`,
      async () => {
        const page = await pageAs(who);
        const found: string[] = [];
        for (const entry of PAGES.filter((candidate) => candidate.as.includes(who))) {
          const path = entry.path(ids);
          await page.goto(`${hookpost.baseUrl}${path}`);
          await settle(page);
          for (const size of WIDTHS) {
            await page.setViewportSize(size);
            found.push(...(await violations(page, `${entry.name} (${path}) at ${size.width} px`)));
          }
        }
        await page.close();
        expect(found, found.join("\n")).toEqual([]);
      },
      EVERY_PAGE_TIMEOUT_MS,
    );
  }

  it("has no violation with the endpoint's panels open: replay, a revealed and a rotated secret, and its dialogs", async () => {
    const page = await pageAs("admin");
    await page.goto(`${hookpost.baseUrl}/apps/${ids.appId}/endpoints/${ids.failingEndpointId}`);
    await settle(page);
    const found: string[] = [];
    await page.getByText("Replay failed deliveries", { exact: true }).click();
    await page.getByRole("button", { name: "Replay failed", exact: true }).click();
    await page.getByRole("dialog", { name: "Replay these failed deliveries?" }).waitFor();
    found.push(...(await violations(page, "replay confirmation")));
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Reveal secret" }).click();
    await page.getByTestId("secret-value").waitFor();
    found.push(...(await violations(page, "revealed secret")));
    await page.getByRole("button", { name: "Rotate secret" }).click();
    await page.getByRole("dialog", { name: "Rotate the signing secret?" }).waitFor();
    found.push(...(await violations(page, "rotation confirmation")));
    await screenshots(page, "rotate-confirmation");
    await page.getByRole("dialog").getByRole("button", { name: "Rotate", exact: true }).click();
    await page.getByTestId("new-secret").waitFor();
    found.push(...(await violations(page, "rotated secret")));
    await page.close();
    expect(found, found.join("\n")).toEqual([]);
  });
});

/** What shows where focus is: an outline or a box shadow, as computed. */
async function focusRing(page: Page): Promise<{ tag: string; name: string; ring: boolean; style: string }> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return { tag: "body", name: "", ring: false, style: "" };
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== "none" && style.boxShadow !== "";
    const label = element.id ? document.querySelector(`label[for="${element.id}"]`)?.textContent : undefined;
    return {
      tag: element.tagName.toLowerCase(),
      name: (element.getAttribute("aria-label") ?? label ?? element.textContent ?? "").trim(),
      ring: outline || shadow,
      style: `outline ${style.outlineStyle} ${style.outlineWidth}, box-shadow ${style.boxShadow}`,
    };
  });
}

/** Presses Tab until focus is on an element named `name`, checking every stop shows its focus. */
async function tabTo(page: Page, name: string | RegExp, most = 60): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < most; i++) {
    await page.keyboard.press("Tab");
    const focused = await focusRing(page);
    seen.push(focused.name);
    expect(
      focused.ring,
      `no visible focus on the ${focused.tag} "${focused.name}" (${focused.style}) after ${seen.join(" | ")}`,
    ).toBe(true);
    if (typeof name === "string" ? focused.name === name : name.test(focused.name)) return;
  }
  throw new Error(`Tab never reached "${String(name)}"; it went through: ${seen.join(" | ")}`);
}

describe("keyboard", () => {
  it("skips to the content, and reaches every main action with Tab, each showing where focus is", async () => {
    const page = await pageAs("admin");
    for (const size of WIDTHS) {
      await page.setViewportSize(size);
      await page.goto(`${hookpost.baseUrl}/apps`);
      await settle(page);
      // The first stop is the way past the top bar, and it lands on the page's content.
      await page.keyboard.press("Tab");
      expect(await focusRing(page)).toMatchObject({ tag: "a", name: "Skip to content", ring: true });
      expect(await page.getByRole("link", { name: "Skip to content" }).isVisible()).toBe(true);
      await page.keyboard.press("Enter");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("content");
      await tabTo(page, "Lighthouse");
      await page.keyboard.press("Enter");
      await page.waitForURL(`${hookpost.baseUrl}/apps/${ids.appId}`);
      await settle(page);
      await tabTo(page, "Add endpoint");
      await tabTo(page, receiver.url);
      await page.keyboard.press("Enter");
      await page.waitForURL(`${hookpost.baseUrl}/apps/${ids.appId}/endpoints/${ids.endpointId}`);
      await settle(page);
      // The log streams in after the rest of the page.
      await page.getByRole("button", { name: "Apply" }).waitFor();
      for (const action of ["Send test event", "Rotate secret", "Reveal secret", "Edit", "Disable"]) {
        await tabTo(page, action);
      }
      await tabTo(page, "Replay failed deliveries");
      await tabTo(page, "Apply");
    }
    await page.close();
  });

  it("keeps focus inside a dialog opened from the keyboard, and Escape closes it and returns focus to its opener", async () => {
    const page = await pageAs("admin");
    await page.goto(`${hookpost.baseUrl}/apps/${ids.appId}/endpoints/${ids.endpointId}`);
    await settle(page);
    await tabTo(page, "Rotate secret");
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Rotate the signing secret?" });
    await dialog.waitFor();
    // Focus moves into the dialog, onto its least harmful choice.
    expect((await focusRing(page)).name).toBe("Cancel");
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press("Tab");
      const inside = await page.evaluate(() => Boolean(document.activeElement?.closest("dialog[open]")));
      const focused = await focusRing(page);
      // Past the last control focus may rest on the browser's own UI, never on the page behind the dialog.
      if (focused.tag !== "body") {
        expect(inside, `focus left the dialog for the ${focused.tag} "${focused.name}"`).toBe(true);
        expect(focused.ring, `no visible focus on "${focused.name}"`).toBe(true);
      }
    }
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect((await focusRing(page)).name).toBe("Rotate secret");
    // Nothing was rotated.
    expect(await page.getByTestId("new-secret").count()).toBe(0);

    // The replay's confirmation, opened from the keyboard as well.
    await tabTo(page, "Replay failed deliveries");
    await page.keyboard.press("Enter");
    await tabTo(page, "Replay failed");
    await page.keyboard.press("Enter");
    const confirm = page.getByRole("dialog", { name: "Replay these failed deliveries?" });
    await confirm.waitFor();
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest("dialog[open]")))).toBe(true);
    await page.keyboard.press("Escape");
    await confirm.waitFor({ state: "hidden" });
    expect((await focusRing(page)).name).toBe("Replay failed");
    await page.close();
  });
});
