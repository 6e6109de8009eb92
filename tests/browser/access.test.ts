// Who can see and change what, in Chromium against the built app: a portal
// link opens one app and nothing else, a viewer cannot retry (the button is
// disabled and the server action refuses anyway), and sign-in is rate limited.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshots, serverActionId, signIn } from "../support/browser";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { answer, startReceiver, type TestReceiver } from "../support/receiver";
import { waitFor } from "../support/services";

let hookpost: RunningHookpost;
let receiver: TestReceiver;
let browser: Browser;

async function appWithFailedDelivery(name: string) {
  const app = (await (await hookpost.api("/apps", { body: { name } })).json()) as { id: string };
  const endpoint = (await (
    await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url: receiver.url } })
  ).json()) as {
    id: string;
  };
  const event = (await (
    await hookpost.api(`/apps/${app.id}/events`, { body: { eventType: "order.shipped", payload: { order: name } } })
  ).json()) as { id: string };
  const delivery = await waitFor(`the delivery for ${name} to fail`, async () => {
    const row = await hookpost.db.delivery.findFirst({ where: { eventId: event.id } });
    return row?.status === "failed" ? row : undefined;
  });
  return { appId: app.id, endpointId: endpoint.id, deliveryId: delivery.id };
}

beforeAll(async () => {
  [hookpost, receiver, browser] = await Promise.all([
    startHookpost({ env: { RETRY_SCHEDULE: "200ms", RETENTION: "14d" } }),
    startReceiver(answer(500, "nope")),
    launchBrowser(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await hookpost?.stop();
  await receiver?.close();
});

describe("access", () => {
  it("opens the portal of one app from a link; another app's delivery is not found", async () => {
    const mine = await appWithFailedDelivery("Mine");
    const theirs = await appWithFailedDelivery("Theirs");
    const response = await hookpost.api(`/apps/${mine.appId}/portal-access`, { method: "POST" });
    expect(response.status).toBe(201);
    const link = (await response.json()) as { url: string; expiresAt: string };
    expect(link.url).toMatch(new RegExp(`^${hookpost.baseUrl}/portal/`));
    const minutes = (new Date(link.expiresAt).getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(link.url);
    // The page opens the portal by itself; a plain GET (a link preview) would not use the link up.
    await page.waitForURL(`${hookpost.baseUrl}/apps/${mine.appId}`);
    await page.getByRole("link", { name: receiver.url }).click();
    await page.locator(`tr[data-delivery-id="${mine.deliveryId}"]`).waitFor();
    // The consumer is told how far back the log goes, from RETENTION.
    expect(await page.getByTestId("log-retention").textContent()).toContain("Deliveries are kept for 14 days");
    await screenshots(page, "portal-endpoint");

    // The consumer can retry in its own app, recorded as "portal".
    receiver.respond(answer(200, "ok"));
    await page.goto(`${hookpost.baseUrl}/apps/${mine.appId}/deliveries/${mine.deliveryId}`);
    await page.getByRole("button", { name: "Retry" }).click();
    await page.locator("section.attempt", { hasText: "manual, by portal" }).waitFor({ timeout: 15_000 });

    // Nothing outside the app: its delivery, endpoint and app pages, and the operators' list.
    for (const path of [
      `/apps/${theirs.appId}/deliveries/${theirs.deliveryId}`,
      `/apps/${mine.appId}/deliveries/${theirs.deliveryId}`,
      `/apps/${theirs.appId}/endpoints/${theirs.endpointId}`,
      `/apps/${mine.appId}/endpoints/${theirs.endpointId}`,
      `/apps/${theirs.appId}`,
      `/apps`,
    ]) {
      const visit = await page.goto(`${hookpost.baseUrl}${path}`);
      expect(visit?.status(), path).toBe(404);
    }

    // The link worked once: this browser is let back in, another one is not.
    await page.goto(link.url);
    await page.waitForURL(`${hookpost.baseUrl}/apps/${mine.appId}`);
    const again = await (await browser.newContext()).newPage();
    await again.goto(link.url);
    await again.getByText("This link cannot be used").waitFor();
    await again.context().close();

    // Leaving ends the session: the app's pages ask for a sign-in again.
    await page.goto(`${hookpost.baseUrl}/apps/${mine.appId}`);
    await page.getByRole("button", { name: "Leave" }).click();
    await page.waitForURL(`${hookpost.baseUrl}/portal/left`);
    await page.goto(`${hookpost.baseUrl}/apps/${mine.appId}`);
    await page.waitForURL(/\/login/);
    await context.close();
  });

  it("shows a viewer a disabled Retry, and the server action refuses it with 403 anyway", async () => {
    receiver.respond(answer(500, "still failing"));
    const { appId, deliveryId } = await appWithFailedDelivery("Viewed");
    const viewer = await hookpost.createUser("viewer");
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, hookpost.baseUrl, viewer);
    await page.goto(`${hookpost.baseUrl}/apps/${appId}/deliveries/${deliveryId}`);
    const retry = page.getByRole("button", { name: "Retry" });
    expect(await retry.isDisabled()).toBe(true);
    const before = (await hookpost.db.delivery.findUniqueOrThrow({ where: { id: deliveryId } })).attemptCount;
    // The endpoint created through the API is logged already.
    const activitiesBefore = await hookpost.db.activity.count({ where: { appId } });

    // Invoked anyway: the request the button would send, made by hand from the viewer's page.
    const answer403 = await page.evaluate(
      async ({ actionId, input }) => {
        const response = await fetch(location.href, {
          method: "POST",
          headers: { "next-action": actionId, accept: "text/x-component", "content-type": "text/plain;charset=UTF-8" },
          body: JSON.stringify([input]),
        });
        return { status: response.status, body: await response.text() };
      },
      { actionId: serverActionId("retryDeliveryAction"), input: { appId, deliveryId } },
    );
    expect(answer403.status).toBe(200);
    expect(answer403.body).toContain('"status":403');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await hookpost.db.delivery.findUniqueOrThrow({ where: { id: deliveryId } })).attemptCount).toBe(before);
    expect(await hookpost.db.activity.count({ where: { appId } })).toBe(activitiesBefore);
    await screenshots(page, "viewer-delivery");
    await context.close();
  });

  it("refuses sign-in after repeated failures on an account, even with the right password", async () => {
    const admin = await hookpost.createUser("admin");
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${hookpost.baseUrl}/login`);
    const attempt = async (password: string) => {
      await page.getByLabel("Email").fill(admin.email);
      await page.getByLabel("Password").fill(password);
      const answered = page.waitForResponse((response) => response.url().includes("/api/auth/callback/credentials"));
      await page.getByRole("button", { name: "Sign in" }).click();
      const response = await answered;
      const error = page.locator(".form-error[role=alert]");
      await error.waitFor();
      return { status: response.status(), message: await error.textContent() };
    };
    for (let i = 0; i < 5; i++) {
      expect(await attempt(`wrong-${i}`)).toEqual({ status: 401, message: "That email and password do not match." });
    }
    const locked = await attempt(admin.password);
    expect(locked.status).toBe(429);
    expect(locked.message).toContain("Too many failed sign-ins");
    expect(page.url()).toContain("/login");
    await context.close();
  });
});
