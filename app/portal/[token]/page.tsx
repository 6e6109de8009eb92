import { getDb } from "@/lib/db";
import { peekPortalLink } from "@/lib/auth/portal";
import { openPortalAction } from "../actions";

export const dynamic = "force-dynamic";

// Opening the link shows a button rather than starting the session at once,
// so that link previews (chat apps fetch URLs) do not use the link up.
export default async function PortalLinkPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const app = await peekPortalLink(getDb(), token);
  return (
    <main className="page">
      <div className="login">
        {app ? (
          <>
            <h1>Webhook deliveries</h1>
            <form className="panel" action={openPortalAction}>
              <p style={{ marginTop: 0 }}>
                See and retry the webhooks sent to <strong>{app.name}</strong>.
              </p>
              <input type="hidden" name="token" value={token} />
              <button className="primary" type="submit">
                Open the portal
              </button>
            </form>
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
