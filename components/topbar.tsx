// The bar above every dashboard page: where you are and who you are.
import Link from "next/link";
import type { ReactNode } from "react";
import type { Caller } from "@/lib/auth/caller";
import { leavePortalAction } from "@/app/portal/actions";
import { SignOutButton } from "./sign-out";
import { TimeZoneSwitch } from "./time-zone";

export function Shell({ caller, appId, children }: { caller: Caller; appId?: string; children: ReactNode }) {
  return (
    <>
      <header className="topbar">
        <div className="topbar-inner">
          <Link className="brand" href={caller.kind === "portal" ? `/apps/${caller.appId}` : "/apps"}>
            Hookpost
          </Link>
          <nav aria-label="Main">
            {caller.kind === "operator" && <Link href="/apps">Apps</Link>}
            {caller.kind === "operator" && <Link href="/system">System</Link>}
            {caller.kind === "operator" && <Link href="/docs/api">API</Link>}
            {appId && <Link href={`/apps/${appId}`}>Endpoints</Link>}
            {appId && <Link href={`/apps/${appId}/activity`}>Activity</Link>}
          </nav>
          <div className="who">
            <TimeZoneSwitch />
            {caller.kind === "operator" ? (
              <>
                <Link href="/account" title="Your account: change your password">
                  {caller.email} · {caller.role}
                </Link>
                <SignOutButton />
              </>
            ) : (
              <>
                <span>Webhook portal</span>
                <form action={leavePortalAction}>
                  <button type="submit">Leave</button>
                </form>
              </>
            )}
          </div>
        </div>
      </header>
      <main className="page">{children}</main>
    </>
  );
}
