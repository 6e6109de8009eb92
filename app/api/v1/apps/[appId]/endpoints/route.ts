import { readJson, searchParams, validate } from "@/lib/api/request";
import { apiRoute, json } from "@/lib/api/route";
import { getApp } from "@/lib/apps";
import { createEndpoint, createEndpointSchema, listEndpoints, toEndpointResource } from "@/lib/endpoints";
import { pageQuerySchema } from "@/lib/pagination";
import { getWebRuntime } from "@/lib/web-runtime";

export const POST = apiRoute<{ appId: string }>(async ({ req, params, db }) => {
  const app = await getApp(db, params.appId);
  const input = await readJson(req, createEndpointSchema);
  return json(toEndpointResource(await createEndpoint(db, app.id, input, getWebRuntime().policy)), 201);
});

export const GET = apiRoute<{ appId: string }>(async ({ req, params, db }) => {
  const app = await getApp(db, params.appId);
  return json(await listEndpoints(db, app.id, validate(pageQuerySchema, searchParams(req))));
});
