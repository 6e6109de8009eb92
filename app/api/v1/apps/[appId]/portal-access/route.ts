import { apiRoute, json } from "@/lib/api/route";
import { getApp } from "@/lib/apps/apps";
import { createPortalAccess, type PortalAccess } from "@/lib/auth/portal";
import { getConfig } from "@/lib/platform/config";

/** A link to the app's portal for its consumer: usable once, before `expiresAt`. */
export const POST = apiRoute<{ appId: string }>(async ({ req, params, db }) => {
  const app = await getApp(db, params.appId);
  const config = getConfig();
  const { token, expiresAt } = await createPortalAccess(db, app.id, config.PORTAL_LINK_TTL);
  const base = config.NEXTAUTH_URL ?? new URL(req.url).origin;
  return json(
    { url: new URL(`/portal/${token}`, base).toString(), expiresAt: expiresAt.toISOString() } satisfies PortalAccess,
    201,
  );
});
