// The event catalogue and the portal's branding in Chromium against the
// built app, the real worker and a local receiver: an operator declares two
// types and brands the portal; a viewer only reads the catalogue; the
// consumer sees the types in the branded portal, subscribes an endpoint to
// them from the list, and sends one as a test event with its example.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshots, signIn } from "../support/browser";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { answer, startReceiver, type TestReceiver } from "../support/receiver";
import { waitFor } from "../support/services";

let hookpost: RunningHookpost;
let receiver: TestReceiver;
let browser: Browser;
let appId: string;

// Served by the browser's own interception: the portal loads it from an https host as it would a real logo.
const LOGO_URL = "https://logo.hookpost.test/acme.svg";
const LOGO_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="32" viewBox="0 0 64 32">' +
  '<rect width="64" height="32" rx="6" fill="#1c1d21"/><circle cx="16" cy="16" r="9" fill="#ffd43b"/></svg>';
const ACCENT = "#ffd43b";

const INVOICE_EXAMPLE = '{"invoice": 42, "amount": 1200, "currency": "EUR"}';
const INVOICE_SCHEMA = JSON.stringify({
  type: "object",
  required: ["invoice", "amount"],
  properties: { invoice: { type: "integer" }, amount: { type: "integer" } },
});

beforeAll(async () => {
  [hookpost, receiver, browser] = await Promise.all([startHookpost(), startReceiver(answer(200)), launchBrowser()]);
  const app = (await (await hookpost.api("/apps", { body: { name: "Acme" } })).json()) as { id: string };
  appId = app.id;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hookpost?.stop();
  await receiver?.close();
});

async function serveLogo(context: BrowserContext): Promise<void> {
  await context.route(LOGO_URL, (route) =>
    route.fulfill({ status: 200, contentType: "image/svg+xml", body: LOGO_SVG }),
  );
}

async function declare(page: Page, type: { name: string; description: string; example: string; schema?: string }) {
  await page.getByRole("link", { name: "Add event type" }).click();
  await page.getByLabel("Name").fill(type.name);
  await page.getByLabel("Description").fill(type.description);
  await page.getByLabel("Example payload").fill(type.example);
  await page.getByLabel("JSON Schema (optional)").fill(type.schema ?? "");
  await page.getByRole("button", { name: "Add event type" }).click();
}

describe("the event catalogue", () => {
  it("is declared by an operator, who also brands the portal", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, hookpost.baseUrl, await hookpost.createUser("admin"));
    await page.goto(`${hookpost.baseUrl}/apps/${appId}`);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Event types" }).click();
    await page.waitForURL(`${hookpost.baseUrl}/apps/${appId}/event-types`);
    await page.getByText("No event types declared yet.").waitFor();

    // An example the schema refuses is answered with the field at fault, and nothing is declared.
    await declare(page, {
      name: "invoice.paid",
      description: "An invoice was paid in full",
      example: '{"invoice": 42, "amount": "1200"}',
      schema: INVOICE_SCHEMA,
    });
    await page.getByRole("alert").getByText("example.amount").waitFor();
    expect(await hookpost.db.eventType.count()).toBe(0);
    await page.getByLabel("Example payload").fill(INVOICE_EXAMPLE);
    await page.getByRole("button", { name: "Add event type" }).click();
    await page.waitForURL(`${hookpost.baseUrl}/apps/${appId}/event-types`);
    await declare(page, {
      name: "customer.created",
      description: "A customer signed up",
      example: '{"customer": {"id": "cus_1", "email": "ada@example.com"}}',
    });
    await page.waitForURL(`${hookpost.baseUrl}/apps/${appId}/event-types`);
    await page.getByRole("heading", { name: "customer.created" }).waitFor();
    await page.getByRole("heading", { name: "invoice.paid" }).waitFor();
    // A third type, archived: it stays listed for the operator, apart, and leaves the portal.
    await declare(page, { name: "legacy.ping", description: "Retired", example: "{}" });
    await page.waitForURL(`${hookpost.baseUrl}/apps/${appId}/event-types`);
    await page.getByRole("button", { name: "Archive legacy.ping" }).click();
    await page.getByRole("button", { name: "Restore legacy.ping" }).waitFor();
    expect(await page.getByRole("heading", { name: "Archived" }).count()).toBe(1);
    await screenshots(page, "catalogue-operator");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
    await page.getByLabel("Display name").fill("Acme Billing");
    await page.getByLabel("Logo URL").fill("http://logo.hookpost.test/acme.svg");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("alert").getByText("logoUrl must be an https URL").waitFor();
    await page.getByLabel("Logo URL").fill(LOGO_URL);
    await page.getByLabel("Accent colour").fill("yellow");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("alert").getByText("accentColor").waitFor();
    await page.getByLabel("Accent colour").fill(ACCENT);
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("status").getByText("Saved.").waitFor();
    expect(await hookpost.db.app.findUniqueOrThrow({ where: { id: appId } })).toMatchObject({
      displayName: "Acme Billing",
      logoUrl: LOGO_URL,
      accentColor: ACCENT,
    });
    await screenshots(page, "app-settings");
    await page.close();
  });

  it("is read-only for a viewer, with no way to start a change", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, hookpost.baseUrl, await hookpost.createUser("viewer"));
    await page.goto(`${hookpost.baseUrl}/apps/${appId}/event-types`);
    await page.getByRole("heading", { name: "invoice.paid" }).waitFor();
    expect(await page.getByRole("link", { name: "Add event type" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: /^Edit / }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /^Archive / }).count()).toBe(0);
    await page.goto(`${hookpost.baseUrl}/apps/${appId}/settings`);
    expect(await page.getByRole("button", { name: "Save settings" }).count()).toBe(0);
    await page.getByText("Acme Billing").waitFor();
    await page.close();
  });

  it("is shown in the branded portal, subscribed to from the list, and sent as a test event", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await serveLogo(context);
    const page = await context.newPage();
    const link = (await (await hookpost.api(`/apps/${appId}/portal-access`, { method: "POST" })).json()) as {
      url: string;
    };
    await page.goto(link.url);
    await page.waitForURL(`${hookpost.baseUrl}/apps/${appId}`);

    // The app's name and logo head the portal; primary buttons wear its accent with readable text.
    const brand = page.getByRole("banner").getByRole("link", { name: "Acme Billing" });
    await brand.waitFor();
    const logo = brand.locator("img");
    await waitFor("the logo to load", () =>
      logo.evaluate((img: HTMLImageElement) => (img.complete && img.naturalWidth > 0 ? true : undefined)),
    );
    const add = page.getByRole("link", { name: "Add endpoint" });
    const colours = await add.evaluate((element) => {
      const style = getComputedStyle(element);
      return { background: style.backgroundColor, text: style.color };
    });
    expect(colours).toEqual({ background: "rgb(255, 212, 59)", text: "rgb(0, 0, 0)" });
    await screenshots(page, "portal-branded");

    // The catalogue, each type with its description and its example indented and copyable.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Event types" }).click();
    await page.waitForURL(`${hookpost.baseUrl}/apps/${appId}/event-types`);
    expect(await page.getByRole("navigation", { name: "Breadcrumb" }).innerText()).toContain("Acme Billing");
    const invoice = page.getByRole("region", { name: "invoice.paid" });
    await invoice.getByText("An invoice was paid in full").waitFor();
    expect(await invoice.getByLabel("Example payload of invoice.paid").textContent()).toBe(
      '{\n  "invoice": 42,\n  "amount": 1200,\n  "currency": "EUR"\n}',
    );
    await invoice.getByRole("button", { name: "Copy example of invoice.paid" }).click();
    await invoice.getByRole("button", { name: "Copy example of invoice.paid" }).getByText("Copied").waitFor();
    expect(JSON.parse(await page.evaluate(() => navigator.clipboard.readText()))).toEqual(JSON.parse(INVOICE_EXAMPLE));
    await page.getByRole("region", { name: "customer.created" }).getByText("A customer signed up").waitFor();
    expect(await page.getByRole("region", { name: "legacy.ping" }).count()).toBe(0);
    // The consumer reads the catalogue; changing it is the operator's.
    expect(await page.getByRole("link", { name: "Add event type" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /^Archive / }).count()).toBe(0);
    await screenshots(page, "portal-catalogue");

    // Subscribing: the catalogue's types are ticked from a list.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Endpoints" }).click();
    await page.getByRole("link", { name: "Add endpoint" }).click();
    await page.getByLabel("URL").fill(receiver.url);
    await page.getByRole("group", { name: "Event types" }).waitFor();
    await page.getByRole("checkbox", { name: /^invoice\.paid/ }).check();
    await page.getByRole("checkbox", { name: /^customer\.created/ }).check();
    await screenshots(page, "portal-subscribe");
    await page.getByRole("button", { name: "Create endpoint" }).click();
    await page.waitForURL(new RegExp(`/apps/${appId}/endpoints/ep_`));
    const endpoint = await hookpost.db.endpoint.findFirstOrThrow({ where: { appId } });
    expect(endpoint.eventTypes).toEqual(["customer.created", "invoice.paid"]);

    // A test event of one type goes out with its example, and its delivery shows it.
    await page.getByLabel("Test event type").selectOption("invoice.paid");
    await page.getByRole("button", { name: "Send test event" }).click();
    await page.waitForURL(new RegExp(`/apps/${appId}/deliveries/dlv_`));
    const attempt = page.locator("section.attempt");
    await attempt.first().waitFor({ timeout: 15_000 });
    expect(await attempt.first().textContent()).toContain("200");
    expect(await page.getByTestId("payload").textContent()).toContain('"currency": "EUR"');
    await page.getByText("invoice.paid").first().waitFor();
    const request = receiver.requests.find((r) => r.body.includes('"type":"invoice.paid"'));
    expect(request?.body).toContain(`"data":${INVOICE_EXAMPLE}`);
    await screenshots(page, "portal-test-event");

    // Editing keeps the ticks.
    await page.goto(`${hookpost.baseUrl}/apps/${appId}/endpoints/${endpoint.id}/edit`);
    expect(await page.getByRole("checkbox", { name: /^invoice\.paid/ }).isChecked()).toBe(true);
    await page.getByRole("checkbox", { name: /^customer\.created/ }).uncheck();
    await page.getByLabel("Other event types").fill("legacy.ping");
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(`${hookpost.baseUrl}/apps/${appId}/endpoints/${endpoint.id}`);
    expect((await hookpost.db.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).eventTypes).toEqual([
      "invoice.paid",
      "legacy.ping",
    ]);
    await context.close();
  });
});
