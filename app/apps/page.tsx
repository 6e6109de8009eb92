import { TableScroller } from "@/components/table-scroller";
import Link from "next/link";
import { Shell } from "@/components/topbar";
import { requireOperator } from "@/lib/auth/page";
import { getDb } from "@/lib/platform/db";
import { listAppOverviews } from "@/lib/dashboard/apps";
import { pageQuerySchema } from "@/lib/platform/pagination";

export const dynamic = "force-dynamic";

const APPS_PER_PAGE = 25;

export default async function AppsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const caller = await requireOperator();
  const params = await searchParams;
  const query = pageQuerySchema.safeParse({ limit: APPS_PER_PAGE, ...params });
  const search = params.q?.trim() || undefined;
  const page = await listAppOverviews(getDb(), query.success ? query.data : { limit: APPS_PER_PAGE }, search);
  const listHref = (cursor?: string) => {
    const link = new URLSearchParams();
    if (search) link.set("q", search);
    if (cursor) link.set("cursor", cursor);
    return link.size > 0 ? `/apps?${link}` : "/apps";
  };
  return (
    <Shell caller={caller}>
      <h1>Apps</h1>
      <p className="subtitle">Each app is one consumer with its endpoints. Counts cover the last 24 hours.</p>
      <form className="filters" action="/apps" role="search" aria-label="Search apps">
        <div className="field">
          <label htmlFor="apps-q">Name, uid or id</label>
          <input id="apps-q" name="q" type="search" defaultValue={search ?? ""} />
        </div>
        <div className="field actions">
          <button type="submit">Search</button>
          {search && (
            <Link className="button" href="/apps">
              Clear
            </Link>
          )}
        </div>
      </form>
      <p className="muted small" role="status">
        {page.total === 1 ? "1 app" : `${page.total} apps`}
        {search ? ` matching “${search}”` : ""}
      </p>
      {page.data.length === 0 ? (
        <div className="panel empty">
          {search ? (
            "No app matches."
          ) : (
            <>
              No apps yet. Create one with <code>POST /api/v1/apps</code>.
            </>
          )}
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
      {(page.nextCursor || query.data?.cursor) && (
        <div className="pager">
          {query.data?.cursor ? (
            <Link className="button" href={listHref()}>
              Newest apps
            </Link>
          ) : (
            <span />
          )}
          {page.nextCursor && (
            <Link className="button" href={listHref(page.nextCursor)}>
              Older apps
            </Link>
          )}
        </div>
      )}
    </Shell>
  );
}
