import { readJson, searchParams, validate } from "@/lib/api/request";
import { apiRoute, json } from "@/lib/api/route";
import { getApp } from "@/lib/apps/apps";
import { createEndpoint, createEndpointSchema, listEndpoints, toEndpointResource } from "@/lib/endpoints/endpoints";
import { pageQuerySchema } from "@/lib/platform/pagination";
import { getWebRuntime } from "@/lib/platform/web-runtime";

export const POST = apiRoute<{ appId: string }>(async ({ req, params, db }) => {
  const app = await getApp(db, params.appId);
  const input = await readJson(req, createEndpointSchema);
  return json(toEndpointResource(await createEndpoint(db, app.id, input, getWebRuntime().policy)), 201);
});

export const GET = apiRoute<{ appId: string }>(async ({ req, params, db }) => {
  const app = await getApp(db, params.appId);
  return json(await listEndpoints(db, app.id, validate(pageQuerySchema, searchParams(req))));
});
