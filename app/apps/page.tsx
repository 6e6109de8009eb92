import { TableScroller } from "@/components/table-scroller";
import Link from "next/link";
import { Shell } from "@/components/topbar";
import { requireOperator } from "@/lib/auth/page";
import { getDb } from "@/lib/platform/db";
import { listAppOverviews } from "@/lib/dashboard/apps";
import { pageQuerySchema } from "@/lib/platform/pagination";

export const dynamic = "force-dynamic";

export default async function AppsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const caller = await requireOperator();
  const query = pageQuerySchema.safeParse(await searchParams);
  const page = await listAppOverviews(getDb(), query.success ? query.data : { limit: 50 });
  return (
    <Shell caller={caller}>
      <h1>Apps</h1>
      <p className="subtitle">Each app is one consumer with its endpoints. Counts cover the last 24 hours.</p>
      {page.data.length === 0 ? (
        <div className="panel empty">
          No apps yet. Create one with <code>POST /api/v1/apps</code>.
        </div>
      ) : (
        <TableScroller label="Apps">
          <table>
            <thead>
              <tr>
                <th>App</th>
                <th className="num">Endpoints</th>
                <th className="num">Failing</th>
                <th className="num">Succeeded</th>
                <th className="num">Failed</th>
                <th className="num">Pending</th>
              </tr>
            </thead>
            <tbody>
              {page.data.map((app) => (
                <tr key={app.id}>
                  <td>
                    <Link href={`/apps/${app.id}`}>{app.name}</Link>
                    <div className="muted small mono">{app.uid ?? app.id}</div>
                  </td>
                  <td className="num">{app.endpoints}</td>
                  <td className="num">
                    {app.failingEndpoints > 0 ? <span className="badge bad">{app.failingEndpoints}</span> : 0}
                  </td>
                  <td className="num">{app.last24h.succeeded}</td>
                  <td className="num">{app.last24h.failed}</td>
                  <td className="num">{app.last24h.pending}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      )}
      {page.nextCursor && (
        <div className="pager">
          <span />
          <Link className="button" href={`/apps?cursor=${page.nextCursor}`}>
            Older apps
          </Link>
        </div>
      )}
    </Shell>
  );
}
