// Portal links: the operator's backend asks for a link to one app's portal
// (POST /api/v1/apps/{appId}/portal-access) and hands it to its customer.
// The link works once and only until it expires; opening it starts a
// session of its own, kept in an http-only cookie. Tokens are stored as
// SHA-256 hashes, so a database dump opens no portal.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "../platform/db";
import { newId } from "../platform/ids";

export const PORTAL_COOKIE = "hookpost_portal";

/** The API's answer to a request for a portal link. */
export const portalAccessSchema = z
  .object({
    url: z.url().meta({ description: "The link to hand to the app's consumer; it opens the portal once" }),
    expiresAt: z.iso.datetime().meta({ description: "The link works until then, if still unused" }),
  })
  .meta({ id: "PortalAccess" });

export type PortalAccess = z.output<typeof portalAccessSchema>;

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function newToken(): string {
  return randomBytes(32).toString("base64url");
}

export async function createPortalAccess(
  db: Db,
  appId: string,
  linkTtlMs: number,
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const expiresAt = new Date(now.getTime() + linkTtlMs);
  await db.portalAccess.create({
    data: { id: newId("portalAccess"), appId, tokenHash: hashToken(token), expiresAt, createdAt: now },
  });
  return { token, expiresAt };
}

/** The app a still-unused, unexpired link opens; undefined otherwise. Does not use the link up. */
export async function peekPortalLink(db: Db, token: string, now = new Date()) {
  const access = await db.portalAccess.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { app: { select: { id: true, name: true } } },
  });
  if (!access || access.usedAt !== null || access.expiresAt <= now) return undefined;
  return access.app;
}

/**
 * Uses the link up and starts its session: the returned session token goes
 * into the cookie. A second use, or a use after expiry, gets undefined.
 */
export async function redeemPortalLink(
  db: Db,
  token: string,
  sessionTtlMs: number,
  now = new Date(),
): Promise<{ appId: string; sessionToken: string; sessionExpiresAt: Date } | undefined> {
  const sessionToken = newToken();
  const sessionExpiresAt = new Date(now.getTime() + sessionTtlMs);
  // One conditional update: two tabs opening the same link cannot both win.
  const updated = await db.portalAccess.updateManyAndReturn({
    where: { tokenHash: hashToken(token), usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now, sessionHash: hashToken(sessionToken), sessionExpiresAt },
    select: { appId: true },
  });
  const appId = updated[0]?.appId;
  return appId ? { appId, sessionToken, sessionExpiresAt } : undefined;
}

/**
 * The app when this browser already opened this link: its session cookie
 * belongs to the link and is still live. Reopening the link (or a second
 * click on it) then leads back in instead of to "already used".
 */
export async function linkSessionApp(
  db: Db,
  token: string,
  sessionToken: string,
  now = new Date(),
): Promise<string | undefined> {
  const access = await db.portalAccess.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { appId: true, sessionHash: true, sessionExpiresAt: true },
  });
  if (!access?.sessionHash || access.sessionHash !== hashToken(sessionToken)) return undefined;
  if (!access.sessionExpiresAt || access.sessionExpiresAt <= now) return undefined;
  return access.appId;
}

/** The app of a live portal session, from the cookie's token. */
export async function portalSessionApp(db: Db, sessionToken: string, now = new Date()): Promise<string | undefined> {
  const access = await db.portalAccess.findUnique({
    where: { sessionHash: hashToken(sessionToken) },
    select: { appId: true, sessionExpiresAt: true },
  });
  if (!access?.sessionExpiresAt || access.sessionExpiresAt <= now) return undefined;
  return access.appId;
}

/** Ends a portal session before its time (the consumer left). */
export async function endPortalSession(db: Db, sessionToken: string, now = new Date()): Promise<void> {
  await db.portalAccess.updateMany({
    where: { sessionHash: hashToken(sessionToken) },
    data: { sessionExpiresAt: now },
  });
}
