// The operators' list of apps, with what needs attention in each.
import type { Db } from "../platform/db";
import { pageArgs, toPage, type Page, type PageQuery } from "../platform/pagination";
import { idAt } from "../platform/ids";

export interface AppOverview {
  id: string;
  name: string;
  uid: string | null;
  endpoints: number;
  failingEndpoints: number;
  last24h: { succeeded: number; failed: number; pending: number };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Apps whose name contains `search`, or whose uid or id is it; every app without one. */
function matching(search: string | undefined) {
  if (!search) return {};
  return {
    OR: [{ name: { contains: search, mode: "insensitive" as const } }, { uid: search }, { id: search }],
  };
}

/** A page of apps, newest first, and how many apps match in all. */
export async function listAppOverviews(
  db: Db,
  page: PageQuery,
  search?: string,
  now = new Date(),
): Promise<Page<AppOverview> & { total: number }> {
  const args = pageArgs(page);
  const [rows, total] = await Promise.all([
    db.app.findMany({ ...args, where: { ...args.where, ...matching(search) } }),
    db.app.count({ where: matching(search) }),
  ]);
  const apps = rows.slice(0, page.limit);
  const appIds = apps.map((app) => app.id);
  const [endpointCounts, failingCounts, deliveryCounts] = await Promise.all([
    db.endpoint.groupBy({ by: ["appId"], where: { appId: { in: appIds } }, _count: { _all: true } }),
    db.endpoint.groupBy({
      by: ["appId"],
      where: { appId: { in: appIds }, OR: [{ disabled: true }, { failingSince: { not: null } }] },
      _count: { _all: true },
    }),
    db.delivery.groupBy({
      by: ["appId", "status"],
      where: { appId: { in: appIds }, id: { gte: idAt("delivery", new Date(now.getTime() - DAY_MS), "start") } },
      _count: { _all: true },
    }),
  ]);
  const overviews = toPage(rows, page.limit, (app) => {
    const last24h = { succeeded: 0, failed: 0, pending: 0 };
    for (const row of deliveryCounts) if (row.appId === app.id) last24h[row.status] = row._count._all;
    return {
      id: app.id,
      name: app.name,
      uid: app.uid,
      endpoints: endpointCounts.find((row) => row.appId === app.id)?._count._all ?? 0,
      failingEndpoints: failingCounts.find((row) => row.appId === app.id)?._count._all ?? 0,
      last24h,
    };
  });
  return { ...overviews, total };
}
