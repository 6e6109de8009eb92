import { searchParams, validate } from "@/lib/api/request";
import { apiRoute, json } from "@/lib/api/route";
import { getApp } from "@/lib/apps/apps";
import { listAttempts } from "@/lib/deliveries/deliveries";
import { pageQuerySchema } from "@/lib/platform/pagination";

export const GET = apiRoute<{ appId: string; deliveryId: string }>(async ({ req, params, db }) => {
  const app = await getApp(db, params.appId);
  return json(await listAttempts(db, app.id, params.deliveryId, validate(pageQuerySchema, searchParams(req))));
});
