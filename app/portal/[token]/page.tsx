import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/lib/platform/db";
import { linkSessionApp, peekPortalLink, PORTAL_COOKIE } from "@/lib/auth/portal";
import { OpenPortalForm } from "@/components/open-portal-form";

export const dynamic = "force-dynamic";

// A GET alone never uses the link up (chat apps fetch links for previews):
// the form on this page does, submitted by the browser as soon as it loads.
export default async function PortalLinkPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const app = await peekPortalLink(getDb(), token);
  if (!app) {
    // This browser opened the link before: back into its session.
    const session = (await cookies()).get(PORTAL_COOKIE)?.value;
    const appId = session ? await linkSessionApp(getDb(), token, session) : undefined;
    if (appId) redirect(`/apps/${appId}`);
  }
  return (
    <main className="page">
      <div className="login">
        {app ? (
          <>
            <h1>Webhook deliveries</h1>
            <OpenPortalForm token={token} appName={app.name} />
          </>
        ) : (
          <>
            <h1>This link cannot be used</h1>
            <p className="panel">It has expired or was already opened. Ask for a new link where you found this one.</p>
          </>
        )}
      </div>
    </main>
  );
}
