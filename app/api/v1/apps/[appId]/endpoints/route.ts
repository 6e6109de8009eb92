import { readJson, searchParams, validate } from "@/lib/api/request";
import { apiRoute, json } from "@/lib/api/route";
import { getApp } from "@/lib/apps/apps";
import { authorizeApp } from "@/lib/auth/caller";
import { createEndpoint } from "@/lib/endpoints/endpoint-changes";
import { createEndpointSchema, listEndpoints, toEndpointResource } from "@/lib/endpoints/endpoints";
import { pageQuerySchema } from "@/lib/platform/pagination";
import { getUseCaseDeps } from "@/lib/platform/web-runtime";

export const POST = apiRoute<{ appId: string }>(async ({ req, params, db, caller }) => {
  // An unknown app is answered before the body is read.
  const app = await authorizeApp(db, caller, params.appId);
  const input = await readJson(req, createEndpointSchema);
  return json(toEndpointResource(await createEndpoint(getUseCaseDeps(), caller, { ...input, appId: app.id })), 201);
});

export const GET = apiRoute<{ appId: string }>(async ({ req, params, db }) => {
  const app = await getApp(db, params.appId);
  return json(await listEndpoints(db, app.id, validate(pageQuerySchema, searchParams(req))));
});
