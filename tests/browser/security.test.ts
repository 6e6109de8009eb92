// The dashboard's defences in the browser and on the wire: after signing in
// the browser goes only to a page of our own origin, whatever callbackUrl
// the link carried, and every page and API answer carries the security
// headers, under whose Content-Security-Policy the pages still work.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPortalAccess } from "../../lib/auth/portal";
import { launchBrowser } from "../support/browser";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { cookiesOf, signInOverHttp } from "../support/http-session";
import { answer, startReceiver, type TestReceiver } from "../support/receiver";
import { waitFor } from "../support/services";

let hookpost: RunningHookpost;
let receiver: TestReceiver;
let browser: Browser;
let admin: { email: string; password: string };
let ids: { appId: string; endpointId: string; deliveryId: string };

beforeAll(async () => {
  [hookpost, receiver, browser] = await Promise.all([startHookpost(), startReceiver(answer(200)), launchBrowser()]);
  admin = await hookpost.createUser("admin");
  const app = (await (await hookpost.api("/apps", { body: { name: "Shop" } })).json()) as { id: string };
  const endpoint = (await (
    await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url: receiver.url } })
  ).json()) as { id: string };
  const event = (await (
    await hookpost.api(`/apps/${app.id}/events`, { body: { eventType: "a", payload: {} } })
  ).json()) as { id: string };
  const delivery = await waitFor("the delivery", () =>
    hookpost.db.delivery.findFirst({ where: { eventId: event.id } }).then((row) => row ?? undefined),
  );
  ids = { appId: app.id, endpointId: endpoint.id, deliveryId: delivery.id };
});

afterAll(async () => {
  await browser?.close();
  await hookpost?.stop();
  await receiver?.close();
});

/** Signs in on /login?callbackUrl=…; answers where the browser ended and whether it asked another host for anything. */
async function signInWithCallback(page: Page, callbackUrl: string, expected: string) {
  const elsewhere: string[] = [];
  await page.route(
    (url) => url.origin !== hookpost.baseUrl,
    (route) => {
      elsewhere.push(route.request().url());
      return route.fulfill({ status: 200, body: "not Hookpost" });
    },
  );
  await page.goto(`${hookpost.baseUrl}/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.origin !== hookpost.baseUrl || url.pathname === expected, { timeout: 15_000 });
  return { url: page.url(), elsewhere };
}

describe("after signing in", () => {
  it.each(["/\\evil.example/", "/\t/evil.example", "http://evil.example/", "//evil.example"])(
    "stays on our origin for callbackUrl %j",
    async (callbackUrl) => {
      const page = await browser.newPage();
      const { url, elsewhere } = await signInWithCallback(page, callbackUrl, "/apps");
      expect(url).toBe(`${hookpost.baseUrl}/apps`);
      expect(elsewhere).toEqual([]);
      await page.context().close();
    },
  );

  it("goes to a callbackUrl on our origin", async () => {
    const page = await browser.newPage();
    const target = `/apps/${ids.appId}/activity`;
    const { url } = await signInWithCallback(page, target, target);
    expect(url).toBe(`${hookpost.baseUrl}${target}`);
    await page.context().close();
  });

  it("is sent by next-auth only to its own origin", async () => {
    for (const [callbackUrl, expected] of [
      ["/\\evil.example/", "/"],
      ["http://evil.example/", "/"],
      ["/apps?x=1", "/apps?x=1"],
    ]) {
      const csrf = await fetch(`${hookpost.baseUrl}/api/auth/csrf`);
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const response = await fetch(`${hookpost.baseUrl}/api/auth/callback/credentials`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrf) },
        body: new URLSearchParams({ ...admin, csrfToken, callbackUrl: callbackUrl!, json: "true" }),
      });
      const { url } = (await response.json()) as { url: string };
      expect([callbackUrl, new URL(url).href]).toEqual([callbackUrl, `${hookpost.baseUrl}${expected}`]);
    }
  });
});

describe("security headers", () => {
  function expectHeaders(what: string, headers: Headers, kind: "page" | "api") {
    const policy = headers.get("content-security-policy") ?? "";
    expect(policy, what).toContain("frame-ancestors 'none'");
    if (kind === "page") expect(policy, what).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/]+=*' 'strict-dynamic'/);
    else expect(policy, what).toContain("default-src 'none'");
    expect(policy, what).not.toContain("unsafe-eval");
    expect([what, headers.get("x-frame-options")]).toEqual([what, "DENY"]);
    expect([what, headers.get("x-content-type-options")]).toEqual([what, "nosniff"]);
    expect([what, headers.get("referrer-policy")]).toEqual([what, "same-origin"]);
    expect([what, headers.get("strict-transport-security")]).toEqual([what, null]);
  }

  it("are on every page, each with its own nonce on its scripts", async () => {
    const { cookie } = await signInOverHttp(hookpost.baseUrl, admin.email, admin.password);
    const { token } = await createPortalAccess(hookpost.db, ids.appId, 60_000);
    const { appId, endpointId, deliveryId } = ids;
    const pages: Array<[string, number]> = [
      ["/login", 200],
      ["/apps", 200],
      [`/apps/${appId}`, 200],
      [`/apps/${appId}/activity`, 200],
      [`/apps/${appId}/endpoints/new`, 200],
      [`/apps/${appId}/endpoints/${endpointId}`, 200],
      [`/apps/${appId}/endpoints/${endpointId}/edit`, 200],
      [`/apps/${appId}/deliveries/${deliveryId}`, 200],
      ["/account", 200],
      ["/system", 200],
      [`/portal/${token}`, 200],
      ["/portal/left", 200],
      ["/no-such-page", 404],
    ];
    const nonces = new Set<string>();
    for (const [path, status] of pages) {
      // The login page is seen signed out; a signed-in operator is sent on from it.
      const response = await fetch(`${hookpost.baseUrl}${path}`, {
        headers: {
          ...(path === "/login" ? {} : { cookie }),
          "content-security-policy": "script-src 'nonce-chosen-by-client'",
        },
      });
      expect([path, response.status]).toEqual([path, status]);
      expectHeaders(path, response.headers, "page");
      const nonce = /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy")!)![1]!;
      const html = await response.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
      expect(scripts.length, path).toBeGreaterThan(0);
      for (const script of scripts) expect(script, path).toContain(`nonce="${nonce}"`);
      nonces.add(nonce);
    }
    expect(nonces.size).toBe(pages.length);
  });

  it("are on API answers, the web server's own event route included", async () => {
    const answers: Array<[string, Promise<Response>]> = [
      ["POST events", hookpost.api(`/apps/${ids.appId}/events`, { body: { eventType: "a", payload: {} } })],
      ["POST events 422", hookpost.api(`/apps/${ids.appId}/events`, { body: { payload: {} } })],
      ["POST events 401", fetch(`${hookpost.baseUrl}/api/v1/apps/${ids.appId}/events`, { method: "POST" })],
      ["GET apps", hookpost.api("/apps")],
      ["GET apps 401", fetch(`${hookpost.baseUrl}/api/v1/apps`)],
      ["GET health", fetch(`${hookpost.baseUrl}/api/health`)],
      ["GET auth csrf", fetch(`${hookpost.baseUrl}/api/auth/csrf`)],
    ];
    for (const [what, answered] of answers) expectHeaders(what, (await answered).headers, "api");
  });

  it("add HSTS when the request came over HTTPS through a proxy", async () => {
    for (const response of [
      await fetch(`${hookpost.baseUrl}/login`, { headers: { "x-forwarded-proto": "https" } }),
      await hookpost.api(`/apps/${ids.appId}/events`, {
        body: { eventType: "a", payload: {} },
        headers: { "x-forwarded-proto": "https" },
      }),
    ]) {
      expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000");
    }
  });

  it("let the dashboard and the portal run their scripts, with no policy violation", async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/CSP violation|Content Security Policy/.test(message.text())) violations.push(message.text());
    });
    // The portal link page opens the portal from a script as soon as it loads.
    const { token } = await createPortalAccess(hookpost.db, ids.appId, 60_000);
    await page.goto(`${hookpost.baseUrl}/portal/${token}`);
    await page.waitForURL(`${hookpost.baseUrl}/apps/${ids.appId}`);
    for (const path of [
      `/apps/${ids.appId}/endpoints/${ids.endpointId}`,
      `/apps/${ids.appId}/deliveries/${ids.deliveryId}`,
      `/apps/${ids.appId}/endpoints/${ids.endpointId}/edit`,
      "/portal/left",
    ]) {
      await page.goto(`${hookpost.baseUrl}${path}`, { waitUntil: "networkidle" });
    }
    // A client-side click: Reveal secret runs a server action from React.
    await page.goto(`${hookpost.baseUrl}/apps/${ids.appId}/endpoints/${ids.endpointId}`, { waitUntil: "networkidle" });
    await page.getByRole("button", { name: "Reveal secret" }).click();
    await page.getByText(/whsec_/).waitFor();
    expect(violations).toEqual([]);
    await page.context().close();
  });
});
