// An operator's own account in Chromium against the built app: changing
// the password checks the current one, ends every session, and only the
// new password signs in afterwards.
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

describe("account", () => {
  it("changes a viewer's own password, ends every session, and signs in only with the new one", async () => {
    const viewer = await hookpost.createUser("viewer");
    const newPassword = "a new and longer password";
    // A second browser signed in before the change: its session must end too.
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await signIn(otherPage, hookpost.baseUrl, viewer);

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, hookpost.baseUrl, viewer);
    await page.getByRole("link", { name: `${viewer.email} · viewer` }).click();
    await page.waitForURL(`${hookpost.baseUrl}/account`);
    const form = page.getByRole("region", { name: "Change password" });

    await form.getByLabel("Current password").fill("not my password");
    await form.getByLabel("New password", { exact: true }).fill(newPassword);
    await form.getByLabel("New password again").fill(newPassword);
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("alert").textContent()).resolves.toBe(
      "currentPassword: 422: that is not your current password",
    );

    await form.getByLabel("Current password").fill(viewer.password);
    await form.getByLabel("New password again").fill(`${newPassword}!`);
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("alert").textContent()).resolves.toBe("confirmPassword: the two new passwords differ");
    await screenshots(page, "account");

    await form.getByLabel("New password again").fill(newPassword);
    await form.getByRole("button", { name: "Change password" }).click();
    await page.waitForURL(`${hookpost.baseUrl}/login?changed=password`);
    await expect(page.getByRole("status").textContent()).resolves.toContain("Your password has been changed");

    // The other browser's session ended with the change.
    await otherPage.goto(`${hookpost.baseUrl}/apps`);
    await otherPage.waitForURL(/\/login/);

    await page.getByLabel("Email").fill(viewer.email);
    await page.getByLabel("Password").fill(viewer.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    const refused = page.locator(".form-error[role=alert]");
    await refused.waitFor();
    await expect(refused.textContent()).resolves.toBe("That email and password do not match.");
    await signIn(page, hookpost.baseUrl, { email: viewer.email, password: newPassword });
    await context.close();
    await other.close();
  });
});
