import { apiRoute, json } from "@/lib/api/route";
import { getApp } from "@/lib/apps/apps";
import { requestManualAttempt } from "@/lib/deliveries/deliveries";
import { getWebRuntime } from "@/lib/platform/web-runtime";

export const POST = apiRoute<{ appId: string; deliveryId: string }>(async ({ params, db, apiKeyId }) => {
  const app = await getApp(db, params.appId);
  await requestManualAttempt(db, getWebRuntime().producer, app.id, params.deliveryId, `api:${apiKeyId}`);
  return json({ status: "queued" }, 202);
});
