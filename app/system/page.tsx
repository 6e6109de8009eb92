import { TableScroller } from "@/components/table-scroller";
import ms from "ms";
import Link from "next/link";
import { Shell } from "@/components/topbar";
import { AttemptsChart } from "@/components/charts/attempts-chart";
import { SuccessRateChart } from "@/components/charts/success-rate-chart";
import { LiveProvider, LiveToggle } from "@/components/live";
import { bucketMinutesFor, mergeBuckets } from "@/lib/dashboard/chart-buckets";
import { requireOperator } from "@/lib/auth/page";
import { getDb } from "@/lib/platform/db";
import { BACKLOG_COUNT_LIMIT } from "@/lib/deliveries/backlog";
import { systemStats, type EndpointFigure } from "@/lib/dashboard/system-stats";
import { getWebRuntime } from "@/lib/platform/web-runtime";

export const dynamic = "force-dynamic";

const WINDOW_HOURS = 6;
/** The figures are read again this often while the page is live. */
const REFRESH_MS = 5_000;

/** Counting stops at the limit: past it, the figure says so. */
const backlogCount = (count: number) => `${count.toLocaleString("en")}${count >= BACKLOG_COUNT_LIMIT ? "+" : ""}`;

function EndpointTable({ title, rows, empty }: { title: string; rows: EndpointFigure[]; empty: string }) {
  return (
    // Not a landmark of its own: the table inside is one, by the same name.
    <section className="panel">
      <h2>{title}</h2>
      {rows.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <TableScroller label={title}>
          <table>
            <thead>
              <tr>
                <th>Endpoint</th>
                <th>App</th>
                <th className="num">Attempts</th>
                <th className="num">Failed</th>
                <th className="num">Avg ms</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.endpointId}>
                  <td>
                    <Link href={`/apps/${row.appId}/endpoints/${row.endpointId}`}>{row.url}</Link>
                  </td>
                  <td>
                    <Link href={`/apps/${row.appId}`}>{row.appName}</Link>
                  </td>
                  <td className="num">{row.attempts}</td>
                  <td className="num">{row.failures}</td>
                  <td className="num">{row.avgDurationMs}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      )}
    </section>
  );
}

export default async function SystemPage() {
  const caller = await requireOperator();
  const stats = await systemStats(getDb(), getWebRuntime().producer, WINDOW_HOURS);
  const activeMinutes = Math.max(1, stats.perMinute.filter((b) => b.succeeded + b.failed > 0).length);
  const rate = stats.successRate === null ? "—" : `${(stats.successRate * 100).toFixed(1)}%`;
  const bucketMinutes = bucketMinutesFor(WINDOW_HOURS * 60);
  const buckets = mergeBuckets(
    stats.perMinute.map(({ minute, succeeded, failed }) => ({ start: minute, succeeded, failed })),
    bucketMinutes,
  );
  const quiet = <p className="muted">No attempts in the last {WINDOW_HOURS} hours.</p>;
  return (
    <Shell caller={caller}>
      <LiveProvider intervalMs={REFRESH_MS} refreshPage>
        <div className="page-head">
          <h1>System</h1>
          <LiveToggle />
        </div>
        <p className="subtitle">Delivery across every app over the last {WINDOW_HOURS} hours.</p>
        <div className="grid figures">
          <div className="panel stat">
            <div className="label">Success rate</div>
            <div className="value">{rate}</div>
          </div>
          <div className="panel stat">
            <div className="label">Attempts per active minute</div>
            <div className="value">{Math.round(stats.attempts / activeMinutes)}</div>
          </div>
          <div className="panel stat" role="group" aria-label="Deliveries due now">
            <div
              className="label"
              title="Pending deliveries whose next attempt is due: waiting for a worker, or for their endpoint's cap"
            >
              Deliveries due now
            </div>
            <div className="value">{backlogCount(stats.backlog.due)}</div>
            <div className="muted">
              {stats.backlog.due === 0
                ? "none waiting"
                : `oldest waiting ${ms(Math.max(1, Math.round(stats.backlog.oldestDueSeconds)) * 1000)}`}
            </div>
          </div>
          <div className="panel stat" role="group" aria-label="Retries scheduled">
            <div className="label" title="Pending deliveries whose next attempt, a retry, is still to come">
              Retries scheduled
            </div>
            <div className="value">{backlogCount(stats.backlog.scheduled)}</div>
          </div>
          <div className="panel stat">
            {/* Jobs, not deliveries: one first-attempts job carries a whole ingestion batch. */}
            <div className="label" title="A first-attempts job carries every delivery of one ingestion batch">
              Queue jobs: waiting / delayed / active
            </div>
            <div className="value">
              {stats.queue.waiting ?? 0} / {stats.queue.delayed ?? 0} / {stats.queue.active ?? 0}
            </div>
          </div>
          <div className="panel stat">
            <div className="label">Failed jobs</div>
            <div className="value">{stats.queue.failed ?? 0}</div>
          </div>
        </div>
        <div className="grid charts">
          <section className="panel" aria-label="Throughput">
            <h2>Throughput</h2>
            {stats.attempts === 0 ? quiet : <AttemptsChart buckets={buckets} bucketMinutes={bucketMinutes} />}
          </section>
          <section className="panel" aria-label="Success rate over time">
            <h2>Success rate</h2>
            {stats.attempts === 0 ? quiet : <SuccessRateChart buckets={buckets} bucketMinutes={bucketMinutes} />}
          </section>
        </div>
        <EndpointTable title="Most failing endpoints" rows={stats.mostFailingEndpoints} empty="No failures." />
        <EndpointTable title="Slowest endpoints" rows={stats.slowestEndpoints} empty="No attempts yet." />
      </LiveProvider>
    </Shell>
  );
}
