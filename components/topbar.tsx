// The bar above every dashboard page: where you are, who you are, and a
// search for any id or idempotency key (app/search/page.tsx). A "Skip to
// content" link comes first, so the keyboard need not cross the bar. In the
// portal it carries the app's branding: its name and logo, and its accent
// on buttons and links.
import Link from "next/link";
import type { CSSProperties, ReactNode } from "react";
import type { Caller } from "@/lib/auth/caller";
import { leavePortalAction } from "@/app/portal/actions";
import { getApp } from "@/lib/apps/apps";
import { accentProperties, shownName } from "@/lib/apps/branding";
import { getDb } from "@/lib/platform/db";
import { SignOutButton } from "./sign-out";
import { TimeZoneSwitch } from "./time-zone";

export async function Shell({
  caller,
  appId,
  search,
  children,
}: {
  caller: Caller;
  appId?: string;
  /** The key the search page shows results for, kept in the search field. */
  search?: string;
  children: ReactNode;
}) {
  const app = caller.kind === "portal" ? await getApp(getDb(), caller.appId) : undefined;
  const style = app?.accentColor ? (accentProperties(app.accentColor) as CSSProperties) : undefined;
  return (
    <div className="shell" style={style}>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          {app ? (
            <Link className="brand" href={`/apps/${app.id}`}>
              {app.logoUrl && (
                // An operator's image on any https host; no referrer leaks the portal's URL to it.
                <img className="brand-logo" src={app.logoUrl} alt="" referrerPolicy="no-referrer" />
              )}
              {shownName(true, app)}
            </Link>
          ) : (
            <Link className="brand" href="/apps">
              Hookpost
            </Link>
          )}
          <nav aria-label="Main">
            {caller.kind === "operator" && <Link href="/apps">Apps</Link>}
            {caller.kind === "operator" && <Link href="/system">System</Link>}
            {caller.kind === "operator" && <Link href="/docs/api">API</Link>}
            {appId && <Link href={`/apps/${appId}`}>Endpoints</Link>}
            {appId && <Link href={`/apps/${appId}/event-types`}>Event types</Link>}
            {appId && <Link href={`/apps/${appId}/activity`}>Activity</Link>}
            {appId && caller.kind === "operator" && <Link href={`/apps/${appId}/settings`}>Settings</Link>}
          </nav>
          <form className="topbar-search" role="search" aria-label="Find by id or key" action="/search">
            <label htmlFor="global-q" className="visually-hidden">
              Find by id or idempotency key
            </label>
            <input
              id="global-q"
              name="q"
              type="search"
              placeholder="Event, delivery id or idempotency key"
              defaultValue={search ?? ""}
              maxLength={256}
              required
            />
            <button type="submit">Find</button>
          </form>
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
      <main className="page" id="content" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
