import { searchParams, validate } from "@/lib/api/request";
import { apiRoute, json } from "@/lib/api/route";
import { getApp } from "@/lib/apps";
import { listEventDeliveries } from "@/lib/deliveries";
import { pageQuerySchema } from "@/lib/pagination";

export const GET = apiRoute<{ appId: string; eventId: string }>(async ({ req, params, db }) => {
  const app = await getApp(db, params.appId);
  return json(await listEventDeliveries(db, app.id, params.eventId, validate(pageQuerySchema, searchParams(req))));
});
