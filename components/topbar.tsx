// The bar above every dashboard page: where you are, who you are, and a
// search for any id or idempotency key (app/search/page.tsx). A "Skip to
// content" link comes first, so the keyboard need not cross the bar.
import Link from "next/link";
import type { ReactNode } from "react";
import type { Caller } from "@/lib/auth/caller";
import { leavePortalAction } from "@/app/portal/actions";
import { SignOutButton } from "./sign-out";
import { TimeZoneSwitch } from "./time-zone";

export function Shell({
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
  return (
    <>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link className="brand" href={caller.kind === "portal" ? `/apps/${caller.appId}` : "/apps"}>
            Hookpost
          </Link>
          <nav aria-label="Main">
            {caller.kind === "operator" && <Link href="/apps">Apps</Link>}
            {caller.kind === "operator" && <Link href="/system">System</Link>}
            {appId && <Link href={`/apps/${appId}`}>Endpoints</Link>}
            {appId && <Link href={`/apps/${appId}/activity`}>Activity</Link>}
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
    </>
  );
}
