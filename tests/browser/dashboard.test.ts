// The operator's dashboard in Chromium against the built app, the real
// worker and a local receiver: find a failed delivery, retry it, replay a
// range, rotate a secret, send a test event.
import type { Browser, Page } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshots, signIn } from "../support/browser";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { answer, startReceiver, type TestReceiver } from "../support/receiver";
import { waitFor } from "../support/services";

let hookpost: RunningHookpost;
let receiver: TestReceiver;
let browser: Browser;
let page: Page;
let admin: { email: string; password: string };

const HOSTILE_BODY = 'upstream exploded <img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';

async function createAppWithEndpoint(name: string) {
  const app = (await (await hookpost.api("/apps", { body: { name } })).json()) as { id: string };
  const endpoint = (await (
    await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url: receiver.url, description: "Orders service" } })
  ).json()) as { id: string };
  return { appId: app.id, endpointId: endpoint.id };
}

async function sendEvent(appId: string, eventType = "invoice.paid", eventId?: string) {
  const response = await hookpost.api(`/apps/${appId}/events`, {
    body: {
      eventType,
      payload: { invoice: 42, lines: [{ sku: "A-1", amount: 1200 }] },
      ...(eventId ? { eventId } : {}),
    },
  });
  expect(response.status).toBe(202);
  return (await response.json()) as { id: string };
}

async function settled(eventId: string, status: "failed" | "succeeded") {
  return waitFor(`the delivery of ${eventId} to be ${status}`, async () => {
    const delivery = await hookpost.db.delivery.findFirst({ where: { eventId } });
    return delivery?.status === status ? delivery : undefined;
  });
}

beforeAll(async () => {
  // One quick retry, then the delivery has failed for good.
  [hookpost, receiver, browser] = await Promise.all([
    startHookpost({ env: { RETRY_SCHEDULE: "300ms" } }),
    startReceiver(answer(500, HOSTILE_BODY)),
    launchBrowser(),
  ]);
  admin = await hookpost.createUser("admin");
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

afterAll(async () => {
  await browser?.close();
  await hookpost?.stop();
  await receiver?.close();
});

describe("dashboard", () => {
  it("signs in, finds a failed delivery with its error body, and retries it into a success", async () => {
    const { appId, endpointId } = await createAppWithEndpoint("Acme");
    const event = await sendEvent(appId, "invoice.paid", "invoice-42");
    const failed = await settled(event.id, "failed");

    await page.goto(`${hookpost.baseUrl}/login`);
    await screenshots(page, "login");
    await signIn(page, hookpost.baseUrl, admin);
    await page.getByRole("link", { name: "Acme" }).click();
    await page.waitForURL(`${hookpost.baseUrl}/apps/${appId}`);
    await screenshots(page, "apps-endpoints");
    await page.getByRole("link", { name: receiver.url }).click();
    await page.waitForURL(`${hookpost.baseUrl}/apps/${appId}/endpoints/${endpointId}`);

    // The log, filtered to failures, shows the delivery; the view lives in the URL.
    await page.getByLabel("Status", { exact: true }).selectOption("failed");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/status=failed/);
    const row = page.locator(`tr[data-delivery-id="${failed.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain("invoice-42");
    await screenshots(page, "endpoint");
    await row.getByRole("link").first().click();
    await page.waitForURL(`${hookpost.baseUrl}/apps/${appId}/deliveries/${failed.id}`);

    // The hostile response body is shown as text and never runs.
    const bodies = page.getByTestId("response-body");
    await bodies.first().waitFor();
    expect(await bodies.first().textContent()).toBe(HOSTILE_BODY);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator("[data-testid=attempts] img").count()).toBe(0);
    expect(await page.getByTestId("payload").textContent()).toContain('"sku": "A-1"');
    await screenshots(page, "delivery");

    // Retry: the new attempt appears without a reload.
    receiver.respond(answer(200, "thanks"));
    await page.evaluate(() => ((window as unknown as { __samePage: boolean }).__samePage = true));
    await page.getByRole("button", { name: "Retry" }).click();
    const manual = page.locator("section.attempt", { hasText: `manual, by ${admin.email}` });
    await manual.waitFor({ timeout: 15_000 });
    expect(await manual.textContent()).toContain("200");
    expect(await manual.getByTestId("response-body").textContent()).toBe("thanks");
    expect(await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBe(true);
    expect((await hookpost.db.delivery.findUniqueOrThrow({ where: { id: failed.id } })).status).toBe("succeeded");

    await page.getByRole("link", { name: "Activity" }).click();
    await page.getByText("retried delivery").waitFor();
  });

  it("replays the failed deliveries of a range after showing how many there are", async () => {
    receiver.respond(answer(503, "down for maintenance"));
    const { appId, endpointId } = await createAppWithEndpoint("Replay Co");
    const events = [await sendEvent(appId), await sendEvent(appId), await sendEvent(appId, "user.created")];
    await Promise.all(events.map((event) => settled(event.id, "failed")));

    receiver.respond(answer(200));
    await page.goto(`${hookpost.baseUrl}/apps/${appId}/endpoints/${endpointId}`);
    // How far back the log goes, from RETENTION (30 days unless set).
    expect(await page.getByTestId("log-retention").textContent()).toContain("Deliveries are kept for 30 days");
    // The replay panel is collapsed until asked for.
    await page.getByText("Replay failed deliveries").click();
    await page.getByRole("button", { name: "Replay failed", exact: true }).click();
    const confirmation = page.getByRole("dialog", { name: "Replay these failed deliveries?" });
    await confirmation.getByText("3 failed deliveries will be sent again").waitFor();
    // Narrowed to one event type, the count follows.
    await confirmation.getByRole("button", { name: "Cancel" }).click();
    await page.getByLabel("Event types (optional)").fill("user.created");
    await page.getByRole("button", { name: "Replay failed" }).click();
    await confirmation.getByText("1 failed delivery will be sent again").waitFor();
    await confirmation.getByRole("button", { name: "Cancel" }).click();
    await page.getByLabel("Event types (optional)").fill("");
    await page.getByRole("button", { name: "Replay failed" }).click();
    await page.getByText("3 failed deliveries will be sent again").waitFor();
    await page.getByRole("button", { name: "Confirm replay of 3" }).click();
    await page.getByText("Queued 3 deliveries").waitFor();
    await Promise.all(events.map((event) => settled(event.id, "succeeded")));
    const attempts = await hookpost.db.attempt.findMany({ where: { endpointId, trigger: "manual" } });
    expect(attempts).toHaveLength(3);
    expect(attempts.every((attempt) => attempt.triggeredBy === admin.email)).toBe(true);
  });

  it("rotates a secret, shows it once, and the receiver verifies with the new one", async () => {
    receiver.respond(answer(200));
    const { appId, endpointId } = await createAppWithEndpoint("Rotate Inc");
    await page.goto(`${hookpost.baseUrl}/apps/${appId}/endpoints/${endpointId}`);
    const before = (await (await hookpost.api(`/apps/${appId}/endpoints/${endpointId}/secret`)).json()) as {
      key: string;
    };
    expect(await page.content()).not.toContain(before.key);

    await page.getByRole("button", { name: "Rotate secret" }).click();
    await page
      .getByRole("dialog", { name: "Rotate the signing secret?" })
      .getByRole("button", { name: "Rotate" })
      .click();
    const shown = await page.getByTestId("new-secret").getByTestId("secret-value").textContent();
    expect(shown).toMatch(/^whsec_/);
    expect(shown).not.toBe(before.key);
    expect(await page.getByTestId("new-secret").textContent()).toContain("previous secret keeps signing");
    await screenshots(page, "rotated");

    const event = await sendEvent(appId);
    await settled(event.id, "succeeded");
    const request = receiver.requests.find((r) => r.headers["webhook-id"] === event.id)!;
    expect(() => new Webhook(shown!).verify(request.body, request.headers as Record<string, string>)).not.toThrow();

    // After a reload the secret is gone until "Reveal" is asked for.
    await page.reload();
    expect(await page.content()).not.toContain(shown!);
    await page.getByRole("button", { name: "Reveal secret" }).click();
    expect(await page.getByTestId("secret-value").textContent()).toBe(shown);
  });

  it("lists the rotated-out secrets still signing, warns before a rotation stops the oldest, and says it did", async () => {
    const { appId, endpointId } = await createAppWithEndpoint("Rotate Often Inc");
    for (let i = 0; i < 4; i++) {
      const rotated = await hookpost.api(`/apps/${appId}/endpoints/${endpointId}/secret/rotate`, { method: "POST" });
      expect(rotated.status).toBe(200);
    }
    await page.goto(`${hookpost.baseUrl}/apps/${appId}/endpoints/${endpointId}`);
    const previous = page.getByTestId("previous-secrets");
    expect(await previous.locator("li").count()).toBe(4);
    expect(await previous.getByRole("status").textContent()).toContain("rotating now stops the");

    await page.getByRole("button", { name: "Rotate secret" }).click();
    const confirmation = page.getByRole("dialog", { name: "Rotate the signing secret?" });
    // The confirmation says which secret the rotation stops.
    await confirmation.getByText("stops signing at once").waitFor();
    await confirmation.getByRole("button", { name: "Rotate" }).click();
    expect(await page.getByTestId("new-secret").textContent()).toContain("stopped signing now");
    await screenshots(page, "rotated-fifth");
    // Still four: the replaced secret in, the oldest out.
    expect(await previous.locator("li").count()).toBe(4);
  });

  it("sends a test event to one endpoint and shows its attempt", async () => {
    receiver.respond(answer(204));
    const { appId, endpointId } = await createAppWithEndpoint("Test Event Ltd");
    await page.goto(`${hookpost.baseUrl}/apps/${appId}/endpoints/${endpointId}`);
    await page.getByRole("button", { name: "Send test event" }).click();
    await page.waitForURL(new RegExp(`/apps/${appId}/deliveries/dlv_`));
    const attempt = page.locator("section.attempt");
    await attempt.first().waitFor({ timeout: 15_000 });
    expect(await attempt.first().textContent()).toContain("204");
    expect(await page.getByTestId("payload").textContent()).toContain('"test": true');
    await page.goto(`${hookpost.baseUrl}/apps`);
    await screenshots(page, "apps");
    await page.goto(`${hookpost.baseUrl}/apps/${appId}/activity`);
    await page.getByText("sent a test event to").waitFor();
    // Named by its URL, not its id.
    await page.getByRole("region", { name: "Activity" }).getByRole("link", { name: receiver.url }).first().waitFor();
    await screenshots(page, "activity");
  });

  it("adds, edits, disables and enables an endpoint, and logs each change", async () => {
    const app = (await (await hookpost.api("/apps", { body: { name: "Managed" } })).json()) as { id: string };
    await page.goto(`${hookpost.baseUrl}/apps/${app.id}`);
    await page.getByText("No endpoints yet").waitFor();
    await page.getByRole("link", { name: "Add endpoint" }).click();
    await page.getByLabel("URL").fill("not a url");
    await page.getByRole("button", { name: "Create endpoint" }).click();
    await page.getByText("enter an http(s) URL").waitFor();
    await page.getByLabel("URL").fill(receiver.url);
    await page.getByLabel("Description").fill("Billing");
    await page.getByLabel("Event types").fill("invoice.paid, invoice.voided");
    await page.getByRole("button", { name: "Create endpoint" }).click();
    await page.waitForURL(new RegExp(`/apps/${app.id}/endpoints/ep_`));
    await page.getByText("Billing · invoice.paid, invoice.voided").waitFor();

    await page.getByRole("link", { name: "Edit" }).click();
    await page.getByLabel("Description").fill("Billing v2");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Billing v2 · invoice.paid, invoice.voided").waitFor();

    await page.getByRole("button", { name: "Disable" }).click();
    await page.getByText("disabled by user").waitFor();
    await page.getByRole("button", { name: "Enable" }).click();
    await page.getByRole("button", { name: "Disable" }).waitFor();
    expect(await page.getByText("disabled by user").count()).toBe(0);

    const actions = await hookpost.db.activity.findMany({ where: { appId: app.id }, orderBy: { id: "asc" } });
    expect(actions.map((entry) => entry.action)).toEqual([
      "endpoint.created",
      "endpoint.updated",
      "endpoint.disabled",
      "endpoint.enabled",
    ]);
    expect(actions.every((entry) => entry.actor === admin.email)).toBe(true);
  });
});
