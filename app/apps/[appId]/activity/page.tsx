import Link from "next/link";
import { TimeAgo } from "@/components/time-ago";
import { Shell } from "@/components/topbar";
import { listActivity, type ActivityAction } from "@/lib/apps/activity";
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
};

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
  const page = await listActivity(getDb(), app.id, query.success ? query.data : { limit: 50 });
  return (
    <Shell caller={caller} appId={app.id}>
      <div className="breadcrumbs">
        <Link href={`/apps/${app.id}`}>{app.name}</Link> /
      </div>
      <h1>Activity</h1>
      <p className="subtitle">Who changed what in this app, newest first.</p>
      {page.data.length === 0 ? (
        <div className="panel empty">Nothing has been changed yet.</div>
      ) : (
        <div className="table-wrap">
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
                      <span className="mono small">{entry.targetId}</span>
                    ) : (
                      <Link
                        className="mono small"
                        href={
                          entry.targetType === "delivery"
                            ? `/apps/${app.id}/deliveries/${entry.targetId}`
                            : `/apps/${app.id}/endpoints/${entry.targetId}`
                        }
                      >
                        {entry.targetId}
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
        </div>
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
