import { apiRoute, json } from "@/lib/api/route";
import { getApp } from "@/lib/apps/apps";
import { revealEndpointSecret } from "@/lib/endpoints/endpoints";

export const GET = apiRoute<{ appId: string; endpointId: string }>(async ({ params, db }) => {
  const app = await getApp(db, params.appId);
  return json({ key: await revealEndpointSecret(db, app.id, params.endpointId) });
});
