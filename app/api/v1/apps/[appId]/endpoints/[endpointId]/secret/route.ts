import { apiRoute, json } from "@/lib/api/route";
import { getApp } from "@/lib/apps";
import { getEndpoint } from "@/lib/endpoints";

export const GET = apiRoute<{ appId: string; endpointId: string }>(async ({ params, db }) => {
  const app = await getApp(db, params.appId);
  const endpoint = await getEndpoint(db, app.id, params.endpointId);
  return json({ key: endpoint.secret });
});
