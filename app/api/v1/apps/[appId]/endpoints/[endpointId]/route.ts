import { readJson } from "@/lib/api/request";
import { apiRoute, json } from "@/lib/api/route";
import { getApp } from "@/lib/apps/apps";
import {
  deleteEndpoint,
  getEndpoint,
  toEndpointResource,
  updateEndpoint,
  updateEndpointSchema,
} from "@/lib/endpoints/endpoints";
import { getWebRuntime } from "@/lib/platform/web-runtime";

type Params = { appId: string; endpointId: string };

export const GET = apiRoute<Params>(async ({ params, db }) => {
  const app = await getApp(db, params.appId);
  return json(toEndpointResource(await getEndpoint(db, app.id, params.endpointId)));
});

export const PATCH = apiRoute<Params>(async ({ req, params, db }) => {
  const app = await getApp(db, params.appId);
  const input = await readJson(req, updateEndpointSchema);
  return json(toEndpointResource(await updateEndpoint(db, app.id, params.endpointId, input, getWebRuntime().policy)));
});

export const DELETE = apiRoute<Params>(async ({ params, db }) => {
  const app = await getApp(db, params.appId);
  await deleteEndpoint(db, app.id, params.endpointId);
  return new Response(null, { status: 204 });
});
