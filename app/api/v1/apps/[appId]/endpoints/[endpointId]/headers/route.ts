import { z } from "zod";
import { readJson } from "@/lib/api/request";
import { apiRoute, json } from "@/lib/api/route";
import { getApp } from "@/lib/apps/apps";
import { endpointHeadersSchema } from "@/lib/endpoints/headers";
import { getEndpointHeaders, setEndpointHeaders } from "@/lib/endpoints/endpoints";

type Params = { appId: string; endpointId: string };

// Kept apart from the endpoint resource: these values often hold credentials.
export const GET = apiRoute<Params>(async ({ params, db }) => {
  const app = await getApp(db, params.appId);
  return json({ headers: await getEndpointHeaders(db, app.id, params.endpointId) });
});

export const PUT = apiRoute<Params>(async ({ req, params, db }) => {
  const app = await getApp(db, params.appId);
  const { headers } = await readJson(req, z.object({ headers: endpointHeadersSchema }));
  return json({ headers: await setEndpointHeaders(db, app.id, params.endpointId, headers) });
});
