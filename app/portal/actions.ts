"use server";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { endPortalSession, linkSessionApp, PORTAL_COOKIE, redeemPortalLink } from "@/lib/auth/portal";
import { getConfig } from "@/lib/platform/config";
import { getDb } from "@/lib/platform/db";

const openPortalSchema = z.object({ token: z.string().min(20).max(200) });

/** Uses the link up, starts the portal session in an http-only cookie, and opens the app. */
export async function openPortalAction(formData: FormData): Promise<void> {
  const { token } = openPortalSchema.parse({ token: formData.get("token") });
  const config = getConfig();
  const jar = await cookies();
  const opened = await redeemPortalLink(getDb(), token, config.PORTAL_SESSION_TTL);
  if (!opened) {
    const current = jar.get(PORTAL_COOKIE)?.value;
    const appId = current ? await linkSessionApp(getDb(), token, current) : undefined;
    redirect(appId ? `/apps/${appId}` : `/portal/${encodeURIComponent(token)}`);
  }
  jar.set(PORTAL_COOKIE, opened.sessionToken, {
    httpOnly: true,
    sameSite: "lax",
    secure: config.NEXTAUTH_URL?.startsWith("https:") ?? false,
    path: "/",
    expires: opened.sessionExpiresAt,
  });
  redirect(`/apps/${opened.appId}`);
}

/** Ends this browser's portal session; a new link is needed to come back. */
export async function leavePortalAction(): Promise<void> {
  const jar = await cookies();
  const session = jar.get(PORTAL_COOKIE)?.value;
  if (session) await endPortalSession(getDb(), session);
  jar.delete(PORTAL_COOKIE);
  redirect("/portal/left");
}
