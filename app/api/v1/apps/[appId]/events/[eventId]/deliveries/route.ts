import { searchParams, validate } from "@/lib/api/request";
import { apiRoute, json } from "@/lib/api/route";
import { getApp } from "@/lib/apps/apps";
import { listEventDeliveries } from "@/lib/deliveries/deliveries";
import { pageQuerySchema } from "@/lib/platform/pagination";

export const GET = apiRoute<{ appId: string; eventId: string }>(async ({ req, params, db }) => {
  const app = await getApp(db, params.appId);
  return json(await listEventDeliveries(db, app.id, params.eventId, validate(pageQuerySchema, searchParams(req))));
});
