// The activity log as the dashboard shows it: each entry's target named
// (an endpoint by its URL, a delivery by its event type and endpoint, an
// event type by its name, the app by its name)
// rather than by an id nobody recognises. A target since deleted keeps
// its id.
import type { Db } from "../platform/db";
import type { PageQuery } from "../platform/pagination";
import { listActivity } from "../apps/activity";

export async function listActivityNamed(db: Db, appId: string, page: PageQuery) {
  const entries = await listActivity(db, appId, page);
  const ids = (type: string) => entries.data.filter((entry) => entry.targetType === type).map((e) => e.targetId);
  const [endpoints, deliveries, eventTypes, app] = await Promise.all([
    db.endpoint.findMany({ where: { appId, id: { in: ids("endpoint") } }, select: { id: true, url: true } }),
    db.delivery.findMany({
      where: { appId, id: { in: ids("delivery") } },
      select: { id: true, endpoint: { select: { url: true } }, event: { select: { eventType: true } } },
    }),
    db.eventType.findMany({ where: { appId, id: { in: ids("event_type") } }, select: { id: true, name: true } }),
    db.app.findUnique({ where: { id: appId }, select: { id: true, name: true } }),
  ]);
  const names = new Map<string, string>([
    ...endpoints.map((endpoint): [string, string] => [endpoint.id, endpoint.url]),
    ...deliveries.map((delivery): [string, string] => [
      delivery.id,
      `${delivery.event.eventType} to ${delivery.endpoint.url}`,
    ]),
    ...eventTypes.map((type): [string, string] => [type.id, type.name]),
    ...(app ? [[app.id, app.name] as [string, string]] : []),
  ]);
  return {
    ...entries,
    data: entries.data.map((entry) => ({ ...entry, targetName: names.get(entry.targetId) ?? entry.targetId })),
  };
}
