import { TableScroller } from "@/components/table-scroller";
import Link from "next/link";
import { appTrail, Breadcrumbs } from "@/components/breadcrumbs";
import { TimeAgo } from "@/components/time-ago";
import { Shell } from "@/components/topbar";
import type { ActivityAction } from "@/lib/apps/activity";
import { listActivityNamed } from "@/lib/dashboard/activity";
import { requireApp, requireCaller } from "@/lib/auth/page";
import { getDb } from "@/lib/platform/db";
import { pageQuerySchema } from "@/lib/platform/pagination";

export const dynamic = "force-dynamic";

const VERBS: Record<ActivityAction, string> = {
  "endpoint.created": "created endpoint",
  "endpoint.updated": "edited endpoint",
  "endpoint.disabled": "disabled endpoint",
  "endpoint.enabled": "enabled endpoint",
  "endpoint.deleted": "deleted endpoint",
  "endpoint.headers_set": "set the custom headers of",
  "endpoint.secret_rotated": "rotated the secret of",
  "endpoint.secret_revealed": "revealed the secret of",
  "endpoint.test_sent": "sent a test event to",
  "endpoint.replayed": "replayed failed deliveries of",
  "delivery.retried": "retried delivery",
  "event_type.created": "declared event type",
  "event_type.updated": "edited event type",
  "event_type.archived": "archived event type",
  "event_type.restored": "restored event type",
  "app.updated": "changed the settings of",
};

/** Where an entry's target is shown: the settings page is the operator's, the catalogue everyone's. */
function targetHref(appId: string, entry: { targetType: string; targetId: string }, operator: boolean): string {
  switch (entry.targetType) {
    case "delivery":
      return `/apps/${appId}/deliveries/${entry.targetId}`;
    case "event_type":
      return `/apps/${appId}/event-types`;
    case "app":
      return operator ? `/apps/${appId}/settings` : `/apps/${appId}`;
    default:
      return `/apps/${appId}/endpoints/${entry.targetId}`;
  }
}

export default async function ActivityPage({
  params,
  searchParams,
}: {
  params: Promise<{ appId: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const caller = await requireCaller();
  const app = await requireApp(caller, (await params).appId);
  const query = pageQuerySchema.safeParse(await searchParams);
  const page = await listActivityNamed(getDb(), app.id, query.success ? query.data : { limit: 50 });
  return (
    <Shell caller={caller} appId={app.id}>
      <Breadcrumbs trail={appTrail(caller.kind, app)} current="Activity" />
      <h1>Activity</h1>
      <p className="subtitle">Who changed what in this app, newest first.</p>
      {page.data.length === 0 ? (
        <div className="panel empty">Nothing has been changed yet.</div>
      ) : (
        <TableScroller label="Activity">
          <table>
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>What</th>
              </tr>
            </thead>
            <tbody>
              {page.data.map((entry) => (
                <tr key={entry.id}>
                  <td className="nowrap">
                    <TimeAgo iso={entry.createdAt} />
                  </td>
                  <td className="break">{entry.actor}</td>
                  <td>
                    {VERBS[entry.action] ?? entry.action}{" "}
                    {entry.action === "endpoint.deleted" ? (
                      // Nothing to link to any more.
                      <span className="break">{entry.targetName}</span>
                    ) : (
                      <Link className="break" href={targetHref(app.id, entry, caller.kind === "operator")}>
                        {entry.targetName}
                      </Link>
                    )}
                    {entry.action === "endpoint.replayed" && (
                      <span className="muted small"> ({String(entry.details.queued)} queued)</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      )}
      {page.nextCursor && (
        <div className="pager">
          <span />
          <Link className="button" href={`/apps/${app.id}/activity?cursor=${page.nextCursor}`}>
            Older
          </Link>
        </div>
      )}
    </Shell>
  );
}
