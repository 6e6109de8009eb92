// Finding one's way: every page says where it sits, down to itself, and an
// address that leads nowhere answers inside the dashboard with a way back,
// for an operator and for a consumer in the portal alike.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshots, signIn } from "../support/browser";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { startReceiver, type TestReceiver } from "../support/receiver";
import { waitFor } from "../support/services";

let hookpost: RunningHookpost;
let receiver: TestReceiver;
let browser: Browser;
let app: { id: string };
let endpoint: { id: string };
let deliveryId: string;

beforeAll(async () => {
  [hookpost, receiver, browser] = await Promise.all([startHookpost(), startReceiver(), launchBrowser()]);
  app = (await (await hookpost.api("/apps", { body: { name: "Harbour" } })).json()) as { id: string };
  endpoint = (await (await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url: receiver.url } })).json()) as {
    id: string;
  };
  const event = (await (
    await hookpost.api(`/apps/${app.id}/events`, { body: { eventType: "ship.docked", payload: {} } })
  ).json()) as { id: string };
  deliveryId = await waitFor("the delivery to succeed", async () => {
    const row = await hookpost.db.delivery.findFirst({ where: { eventId: event.id } });
    return row?.status === "succeeded" ? row.id : undefined;
  });
});

afterAll(async () => {
  await browser?.close();
  await hookpost?.stop();
  await receiver?.close();
});

async function breadcrumb(page: Page): Promise<string> {
  const trail = page.getByRole("navigation", { name: "Breadcrumb" });
  expect(await trail.locator("[aria-current=page]").count()).toBe(1);
  return (await trail.innerText()).replace(/\s+/g, " ").trim();
}

describe("navigation", () => {
  it("shows the whole trail on every page of an app, ending at the page itself", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, hookpost.baseUrl, await hookpost.createUser("admin"));
    const base = `${hookpost.baseUrl}/apps/${app.id}`;
    const expected: Array<[string, string]> = [
      [base, "Apps / Harbour"],
      [`${base}/endpoints/${endpoint.id}`, "Apps / Harbour / Endpoint"],
      [`${base}/endpoints/${endpoint.id}/edit`, `Apps / Harbour / ${receiver.url} / Edit`],
      [`${base}/endpoints/new`, "Apps / Harbour / Add an endpoint"],
      [`${base}/deliveries/${deliveryId}`, `Apps / Harbour / ${receiver.url} / Delivery`],
      [`${base}/activity`, "Apps / Harbour / Activity"],
    ];
    for (const [url, trail] of expected) {
      await page.goto(url);
      expect(await breadcrumb(page), url).toBe(trail);
    }
    // Each step of the trail leads where it says.
    await page.goto(`${base}/deliveries/${deliveryId}`);
    await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: receiver.url }).click();
    await page.waitForURL(`${base}/endpoints/${endpoint.id}`);
    await page.close();
  });

  it("answers an unknown address with a 404 page inside the dashboard, with a way back", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, hookpost.baseUrl, await hookpost.createUser("viewer"));
    for (const path of ["/no/such/page", `/apps/${app.id}/deliveries/dlv_nothing`, "/apps/app_nothing"]) {
      const visit = await page.goto(`${hookpost.baseUrl}${path}`);
      expect(visit?.status(), path).toBe(404);
      await page.getByRole("heading", { name: "Not found" }).waitFor();
      await page.getByRole("navigation", { name: "Main" }).waitFor();
    }
    await screenshots(page, "not-found");
    await page.getByRole("link", { name: "Back to your apps" }).click();
    await page.waitForURL(`${hookpost.baseUrl}/apps`);
    await page.close();
  });

  it("brings a consumer in the portal back to their own app's endpoints", async () => {
    const link = (await (await hookpost.api(`/apps/${app.id}/portal-access`, { method: "POST" })).json()) as {
      url: string;
    };
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(link.url);
    await page.waitForURL(`${hookpost.baseUrl}/apps/${app.id}`);
    await page.goto(`${hookpost.baseUrl}/apps/${app.id}/endpoints/${endpoint.id}`);
    // The portal starts at the app: no operators' list above it.
    expect(await breadcrumb(page)).toBe("Harbour / Endpoint");
    expect((await page.goto(`${hookpost.baseUrl}/apps`))?.status()).toBe(404);
    await page.getByRole("link", { name: "Back to your endpoints" }).click();
    await page.waitForURL(`${hookpost.baseUrl}/apps/${app.id}`);
    await page.close();
  });

  it("answers an unknown address without a session with a way to sign in", async () => {
    const page = await browser.newPage();
    expect((await page.goto(`${hookpost.baseUrl}/no/such/page`))?.status()).toBe(404);
    await page.getByRole("link", { name: "Sign in" }).click();
    await page.waitForURL(`${hookpost.baseUrl}/login`);
    await page.close();
  });

  it("offers a viewer no way to start a change their role cannot make", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, hookpost.baseUrl, await hookpost.createUser("viewer"));
    await page.goto(`${hookpost.baseUrl}/apps/${app.id}`);
    await page.getByRole("heading", { name: "Harbour" }).waitFor();
    expect(await page.getByRole("link", { name: "Add endpoint" }).count()).toBe(0);
    await page.goto(`${hookpost.baseUrl}/apps/${app.id}/endpoints/${endpoint.id}`);
    const actions = page.locator(".panel", { has: page.getByRole("heading", { name: "Actions" }) });
    await actions.waitFor();
    expect(await actions.getByRole("link").count()).toBe(0);
    for (const name of ["Send test event", "Rotate secret", "Reveal secret", "Edit", "Disable"]) {
      expect(await actions.getByRole("button", { name, exact: true }).isDisabled(), name).toBe(true);
    }
    await page.close();
  });

  it("searches the apps by name, uid or id, counts them and pages through them", async () => {
    for (let i = 1; i <= 30; i++) {
      const name = `Fleet ${String(i).padStart(2, "0")}`;
      const created = await hookpost.api("/apps", { body: { name, uid: `fleet-${i}` } });
      expect(created.status).toBe(201);
    }
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, hookpost.baseUrl, await hookpost.createUser("viewer"));
    const list = page.getByRole("region", { name: "Apps" });
    await page.getByText("31 apps").waitFor();
    expect(await list.locator("tbody tr").count()).toBe(25);
    await page.getByRole("link", { name: "Older apps" }).click();
    await page.getByRole("link", { name: "Newest apps" }).waitFor();
    expect(await list.locator("tbody tr").count()).toBe(6);
    await list.getByRole("link", { name: "Harbour" }).waitFor();

    const search = page.getByRole("search", { name: "Search apps" });
    await search.getByLabel("Name, uid or id").fill("fleet 07");
    await search.getByRole("button", { name: "Search" }).click();
    await page.getByText("1 app matching “fleet 07”").waitFor();
    expect(await list.locator("tbody tr").count()).toBe(1);
    await search.getByLabel("Name, uid or id").fill("fleet-12");
    await search.getByRole("button", { name: "Search" }).click();
    await list.getByRole("link", { name: "Fleet 12" }).waitFor();
    expect(await list.locator("tbody tr").count()).toBe(1);
    await search.getByLabel("Name, uid or id").fill(app.id);
    await search.getByRole("button", { name: "Search" }).click();
    await list.getByRole("link", { name: "Harbour" }).waitFor();
    await search.getByLabel("Name, uid or id").fill("no such fleet");
    await search.getByRole("button", { name: "Search" }).click();
    await page.getByText("No app matches.").waitFor();
    await page.close();
  });
});
