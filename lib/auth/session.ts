// Resolves the caller of a page, route handler or server action: an
// operator signed in with next-auth, or a consumer with a portal session.
import { cookies } from "next/headers";
import { getServerSession } from "next-auth";
import { getDb } from "../platform/db";
import type { Caller } from "./caller";
import { authOptions } from "./options";
import { PORTAL_COOKIE, portalSessionApp } from "./portal";

export async function getCaller(): Promise<Caller | undefined> {
  const db = getDb();
  const session = await getServerSession(authOptions());
  const email = session?.user?.email;
  if (email) {
    // Read again on every request, so a removed user, or a password or role
    // changed since this session began, ends the session at once.
    const user = await db.user.findUnique({
      where: { email },
      select: { email: true, role: true, sessionVersion: true },
    });
    const sessionVersion = (session.user as { sessionVersion?: unknown }).sessionVersion;
    if (user && user.sessionVersion === sessionVersion) return { kind: "operator", email: user.email, role: user.role };
  }
  const portalToken = (await cookies()).get(PORTAL_COOKIE)?.value;
  if (portalToken) {
    const appId = await portalSessionApp(db, portalToken);
    if (appId) return { kind: "portal", appId };
  }
  return undefined;
}
