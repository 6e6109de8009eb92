// Debian's Chromium driven by playwright-core (no browser download), plus
// the few steps every dashboard test repeats.
import { existsSync, mkdirSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { builtServerActions } from "./http-session";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOTS = "test-results/screenshots";

/**
 * Records every Content-Security-Policy violation in the context's pages:
 * the page reports each one it sees as a console error, which Chromium's
 * own "Refused to ..." messages may not reach the test as.
 */
async function watchPolicyViolations(context: BrowserContext, violations: string[]): Promise<void> {
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) =>
      console.error(
        `CSP violation on ${location.href}: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}` +
          ` from ${event.sourceFile}:${event.lineNumber}`,
      ),
    );
  });
  context.on("console", (message) => {
    if (/CSP violation|Content Security Policy/.test(message.text())) {
      violations.push(`${message.location().url}: ${message.text()}`);
    }
  });
}

/**
 * Chromium, whose pages (from newPage or newContext) are watched for
 * Content-Security-Policy violations: close() fails with the list when
 * any page of any test in the file met one, so every browser test also
 * checks that the dashboard works under its policy.
 */
export async function launchBrowser(): Promise<Browser> {
  const browser = await launchChromium();
  const violations: string[] = [];
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await watchPolicyViolations(context, violations);
    return context;
  };
  browser.newPage = async (options) => (await browser.newContext(options)).newPage();
  const close = browser.close.bind(browser);
  browser.close = async (options) => {
    await close(options);
    if (violations.length > 0) throw new Error(`Content-Security-Policy violations:\n${violations.join("\n")}`);
  };
  return browser;
}

async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (.ci/run does).`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export async function signIn(page: Page, baseUrl: string, credentials: { email: string; password: string }) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email").fill(credentials.email);
  await page.getByLabel("Password").fill(credentials.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${baseUrl}/apps`);
}

/** Saves the page at a laptop and a phone width, to be looked at after the run. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const original = page.viewportSize() ?? { width: 1280, height: 800 };
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}-phone.png`, fullPage: true });
  await page.setViewportSize(original);
}

/** The id Next.js gave a server action of app/apps/actions.ts in this build, as a browser would send it. */
export function serverActionId(name: string): string {
  const action = builtServerActions().find((candidate) => candidate.name === `app/apps/actions.ts#${name}`);
  if (!action) throw new Error(`no server action ${name} in the build`);
  return action.id;
}
