// Dashboard sessions and server actions over plain HTTP, the way a browser
// (or an attacker's script) sends them, without a browser.
import { readFileSync } from "node:fs";

/** The cookies a response sets, as one Cookie header value. */
export function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

/**
 * Signs in the way the login form does (next-auth's credentials callback);
 * returns the response and the session cookie. `headers` are added to the
 * sign-in request, as a client could.
 */
export async function signInOverHttp(
  baseUrl: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<{ response: Response; cookie: string }> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrf) },
    body: new URLSearchParams({ email, password, csrfToken, json: "true" }),
  });
  return { response, cookie: cookiesOf(response) };
}

export interface BuiltServerAction {
  id: string;
  /** `file#export`, e.g. `app/apps/actions.ts#retryDeliveryAction`. */
  name: string;
  /** The pages that can run it, e.g. `app/apps/[appId]/page`. */
  pages: string[];
}

/** Every server action in the current build, from Next.js's own manifest. */
export function builtServerActions(): BuiltServerAction[] {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, { exportedName: string; filename: string; workers: Record<string, unknown> }>;
  };
  return Object.entries(manifest.node).map(([id, action]) => ({
    id,
    name: `${action.filename}#${action.exportedName}`,
    pages: Object.keys(action.workers),
  }));
}

/**
 * Calls a server action as the browser would from one of its pages (same
 * origin), and returns the action's answer as the client would see it.
 */
export async function callServerAction(
  baseUrl: string,
  action: BuiltServerAction,
  params: Record<string, string>,
  args: unknown[],
  cookie: string,
): Promise<{ httpStatus: number; body: string }> {
  const page = action.pages.find((candidate) => /^app\/apps\/\[appId\]/.test(candidate)) ?? action.pages[0];
  if (!page) throw new Error(`${action.name} runs on no page`);
  const path = page
    .replace(/^app/, "")
    .replace(/\/page$/, "")
    .replace(/\[(\w+)\]/g, (_match, name: string) => {
      const value = params[name];
      if (value === undefined) throw new Error(`${page} needs ${name}`);
      return encodeURIComponent(value);
    });
  const response = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "next-action": action.id,
      accept: "text/x-component",
      "content-type": "text/plain;charset=UTF-8",
      origin: baseUrl,
      cookie,
    },
    body: JSON.stringify(args),
  });
  return { httpStatus: response.status, body: await response.text() };
}
