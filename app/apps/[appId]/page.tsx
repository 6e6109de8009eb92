import { TableScroller } from "@/components/table-scroller";
import Link from "next/link";
import { Breadcrumbs } from "@/components/breadcrumbs";
import { SuccessChart } from "@/components/success-chart";
import { TimeAgo } from "@/components/time-ago";
import { Shell } from "@/components/topbar";
import { OutcomeBadge } from "@/components/status-badge";
import { shownName } from "@/lib/apps/branding";
import { canMutate } from "@/lib/auth/caller";
import { requireApp, requireCaller } from "@/lib/auth/page";
import { getDb } from "@/lib/platform/db";
import { listEndpointOverviews } from "@/lib/dashboard/endpoints";

export const dynamic = "force-dynamic";

export default async function AppPage({ params }: { params: Promise<{ appId: string }> }) {
  const caller = await requireCaller();
  const app = await requireApp(caller, (await params).appId);
  const endpoints = await listEndpointOverviews(getDb(), app.id);
  return (
    <Shell caller={caller} appId={app.id}>
      {caller.kind === "operator" && <Breadcrumbs trail={[{ href: "/apps", label: "Apps" }]} current={app.name} />}
      <div className="actions" style={{ justifyContent: "space-between" }}>
        <div>
          <h1>{shownName(caller.kind === "portal", app)}</h1>
          <p className="subtitle">Endpoints and how their deliveries went in the last 24 hours.</p>
        </div>
        {canMutate(caller) && (
          <Link className="button primary" href={`/apps/${app.id}/endpoints/new`}>
            Add endpoint
          </Link>
        )}
      </div>
      {endpoints.data.length === 0 ? (
        <div className="panel empty">No endpoints yet: add one to start receiving webhooks.</div>
      ) : (
        <TableScroller label="Endpoints">
          <table>
            <thead>
              <tr>
                <th>Endpoint</th>
                <th>State</th>
                <th className="num">Success (24 h)</th>
                <th>Last attempt</th>
                <th className="hide-sm">Last 24 h</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.data.map((endpoint) => (
                <tr key={endpoint.id}>
                  <td>
                    <Link className="break" href={`/apps/${app.id}/endpoints/${endpoint.id}`}>
                      {endpoint.url}
                    </Link>
                    <div className="muted small">
                      {endpoint.eventTypes.length === 0 ? "all event types" : endpoint.eventTypes.join(", ")}
                    </div>
                  </td>
                  <td>
                    {endpoint.disabled ? (
                      <>
                        <span className="badge bad">disabled</span>
                        <div className="muted small">{endpoint.disabledReason}</div>
                      </>
                    ) : endpoint.warning ? (
                      <>
                        <span className="badge wait">
                          failing{endpoint.warning.failureClass ? `: ${endpoint.warning.failureClass}` : ""}
                        </span>
                        <div className="muted small">
                          disabled on <TimeAgo iso={endpoint.warning.disablesAt} />
                        </div>
                      </>
                    ) : (
                      <span className="badge ok">enabled</span>
                    )}
                  </td>
                  <td className="num nowrap">
                    {endpoint.successRate24h === null ? "–" : `${Math.round(endpoint.successRate24h * 100)}%`}
                    <div className="muted small">{endpoint.attempts24h} attempts</div>
                  </td>
                  <td className="nowrap">
                    {endpoint.lastAttempt ? (
                      <>
                        <OutcomeBadge statusCode={endpoint.lastAttempt.statusCode} error={endpoint.lastAttempt.error} />{" "}
                        <span className="small muted">
                          <TimeAgo iso={endpoint.lastAttempt.at} />
                        </span>
                      </>
                    ) : (
                      <span className="muted">none yet</span>
                    )}
                  </td>
                  <td className="hide-sm">
                    <SuccessChart buckets={endpoint.chart} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      )}
    </Shell>
  );
}
