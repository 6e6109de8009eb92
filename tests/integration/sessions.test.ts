// Dashboard sessions over plain HTTP against the built app: a sign-in past
// the failure limit is answered 429, whatever address the client claims,
// and changing a user's password or role ends the sessions they already
// have open.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changePassword, changeRole } from "../../lib/auth/users";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { signInOverHttp } from "../support/http-session";

let hookpost: RunningHookpost;

beforeAll(async () => {
  hookpost = await startHookpost();
}, 120_000);

afterAll(async () => {
  await hookpost?.stop();
});

function signIn(email: string, password: string) {
  return signInOverHttp(hookpost.baseUrl, email, password);
}

/** Whether the cookie still opens the dashboard, or sends the browser to sign in. */
async function dashboardStatus(cookie: string): Promise<"signed in" | "signed out"> {
  const response = await fetch(`${hookpost.baseUrl}/apps`, { redirect: "manual", headers: { cookie } });
  if (response.status === 200) return "signed in";
  expect(response.status).toBe(307);
  expect(response.headers.get("location")).toContain("/login");
  return "signed out";
}

describe("sign-in limit", () => {
  it("answers 429 with Retry-After once an account has too many failures, even for the right password", async () => {
    const user = await hookpost.createUser("admin");
    for (let i = 0; i < 5; i++) {
      const { response } = await signIn(user.email, `wrong-${i}`);
      expect(response.status).toBe(401);
    }
    const { response, cookie } = await signIn(user.email.toUpperCase(), user.password);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await response.json()) as { url: string; error: { code: string; message: string } };
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.message).toMatch(/too many failed sign-ins/);
    // The login form reads its message from next-auth's `url`.
    expect(new URL(body.url).searchParams.get("error")).toBe("RateLimited");
    expect(cookie).not.toContain("session-token");
    const attempts = await hookpost.db.loginAttempt.count({ where: { account: user.email } });
    expect(attempts).toBe(5);
  });
});

describe("session revocation", () => {
  it("keeps a session open until the password changes, then ends it; the new password signs in", async () => {
    const user = await hookpost.createUser("admin");
    const first = await signIn(user.email, user.password);
    expect(first.response.status).toBe(200);
    const other = await signIn(user.email, user.password);
    expect(await dashboardStatus(first.cookie)).toBe("signed in");
    expect(await dashboardStatus(other.cookie)).toBe("signed in");

    await changePassword(hookpost.db, { email: user.email, password: "a-new-password-42" });
    expect(await dashboardStatus(first.cookie)).toBe("signed out");
    expect(await dashboardStatus(other.cookie)).toBe("signed out");
    expect((await signIn(user.email, user.password)).response.status).toBe(401);
    const again = await signIn(user.email, "a-new-password-42");
    expect(again.response.status).toBe(200);
    expect(await dashboardStatus(again.cookie)).toBe("signed in");
  });

  it("ends open sessions when the role changes", async () => {
    const user = await hookpost.createUser("admin");
    const session = await signIn(user.email, user.password);
    expect(await dashboardStatus(session.cookie)).toBe("signed in");
    await changeRole(hookpost.db, { email: user.email, role: "viewer" });
    expect(await dashboardStatus(session.cookie)).toBe("signed out");
    const fresh = await signIn(user.email, user.password);
    expect(await dashboardStatus(fresh.cookie)).toBe("signed in");
  });

  it("refuses a change for an unknown user or a short password, and changes nothing", async () => {
    await expect(
      changePassword(hookpost.db, { email: "nobody@example.test", password: "long-enough-1" }),
    ).rejects.toThrow(/user nobody@example.test not found/);
    const user = await hookpost.createUser("viewer");
    await expect(changePassword(hookpost.db, { email: user.email, password: "short" })).rejects.toThrow(
      /at least 8 characters/,
    );
    expect((await signIn(user.email, user.password)).response.status).toBe(200);
  });
});

// Last in the file: it leaves this client's address over the limit.
describe("sign-in limit per address", () => {
  it("counts failures by the connection's address, whatever X-Forwarded-For the client sends", async () => {
    // A new address named for every guess, as a script dodging the limit would.
    const spoofed = (i: number) => ({ "x-forwarded-for": `203.0.113.${i}` });
    for (let i = 0; i < 20; i++) {
      const { response } = await signInOverHttp(hookpost.baseUrl, `nobody${i}@example.test`, "guess", spoofed(i));
      // The test above already failed five times from this address, so the limit may bite early.
      expect([401, 429]).toContain(response.status);
    }
    const user = await hookpost.createUser("viewer");
    const { response } = await signInOverHttp(hookpost.baseUrl, user.email, user.password, spoofed(99));
    expect(response.status).toBe(429);
    expect(await hookpost.db.loginAttempt.count({ where: { address: { startsWith: "203.0.113." } } })).toBe(0);
  });
});
