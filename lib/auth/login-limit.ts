// Sign-in rate limit: a run of failures locks out the account and, more
// loosely, the address it came from, for a window. Attempts are rows in
// PostgreSQL so that every web process sees the same count.
import type { Db } from "../platform/db";
import { HookpostError } from "../platform/errors";
import { newId } from "../platform/ids";
import type { SignedInUser } from "./users";

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

/** The account key the limit counts on: sign-in is case-insensitive on the email. */
export function loginAccount(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The client's address. The web server sets X-Forwarded-For to the
 * connection's address (server/main.ts); behind a proxy (TRUST_PROXY) the
 * last entry is the one that proxy appended, the only one a client cannot
 * write itself.
 */
export function clientAddress(header: (name: string) => string | null | undefined): string {
  const last = header("x-forwarded-for")?.split(",").at(-1)?.trim();
  return last || header("x-real-ip") || "unknown";
}

export async function isLoginBlocked(db: Db, account: string, address: string, now = new Date()): Promise<boolean> {
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
  const [byAccount, byAddress] = await Promise.all([
    db.loginAttempt.count({ where: { account, succeeded: false, createdAt: { gte: since } } }),
    db.loginAttempt.count({ where: { address, succeeded: false, createdAt: { gte: since } } }),
  ]);
  return byAccount >= MAX_FAILURES_PER_ACCOUNT || byAddress >= MAX_FAILURES_PER_ADDRESS;
}

export async function recordLoginAttempt(
  db: Db,
  account: string,
  address: string,
  succeeded: boolean,
  now = new Date(),
): Promise<void> {
  await db.loginAttempt.create({ data: { id: newId("loginAttempt"), account, address, succeeded, createdAt: now } });
  // Rows older than the window no longer count for anything.
  if (Math.random() < 0.01) {
    await db.loginAttempt.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - LOGIN_WINDOW_MS) } } });
  }
}

/** Too many failed checks of this account's password, or from this address, within the window. */
export class RateLimitedError extends HookpostError {
  constructor() {
    super(429, "rate_limited", `too many failed attempts: wait ${LOGIN_WINDOW_MS / 60_000} minutes and try again`);
  }
}

export type SignInResult = { ok: true; user: SignedInUser } | { ok: false; reason: "invalid" | "rate_limited" };

/** Checks the limit, then the credentials, and records the outcome. */
export async function signIn(
  db: Db,
  check: (email: string, password: string) => Promise<SignedInUser | undefined>,
  email: string,
  password: string,
  address: string,
): Promise<SignInResult> {
  const account = loginAccount(email);
  if (await isLoginBlocked(db, account, address)) return { ok: false, reason: "rate_limited" };
  const user = await check(account, password);
  await recordLoginAttempt(db, account, address, user !== undefined);
  return user ? { ok: true, user } : { ok: false, reason: "invalid" };
}
