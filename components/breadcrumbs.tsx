// Where a page sits: the pages above it as links, then the page itself.
import Link from "next/link";
import { Fragment } from "react";
import type { Caller } from "@/lib/auth/caller";
import { shownName } from "@/lib/apps/branding";

export interface Crumb {
  href: string;
  label: string;
}

export function Breadcrumbs({ trail, current }: { trail: Crumb[]; current: string }) {
  return (
    <nav className="breadcrumbs" aria-label="Breadcrumb">
      {trail.map((crumb) => (
        <Fragment key={crumb.href}>
          <Link href={crumb.href} className="break">
            {crumb.label}
          </Link>
          <span aria-hidden="true"> / </span>
        </Fragment>
      ))}
      <span aria-current="page">{current}</span>
    </nav>
  );
}

/** The trail down to an app: its operators come from the apps list; a consumer's portal starts at the app. */
export function appTrail(
  callerKind: Caller["kind"],
  app: { id: string; name: string; displayName?: string | null },
): Crumb[] {
  const apps = callerKind !== "portal" ? [{ href: "/apps", label: "Apps" }] : [];
  return [...apps, { href: `/apps/${app.id}`, label: shownName(callerKind === "portal", app) }];
}
