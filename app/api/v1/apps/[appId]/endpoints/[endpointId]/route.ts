import { readJson } from "@/lib/api/request";
import { apiRoute, json } from "@/lib/api/route";
import { getApp } from "@/lib/apps/apps";
import { authorizeApp } from "@/lib/auth/caller";
import { deleteEndpoint, editEndpoint } from "@/lib/endpoints/endpoint-changes";
import { getEndpoint, toEndpointResource, updateEndpointSchema } from "@/lib/endpoints/endpoints";
import { getUseCaseDeps } from "@/lib/platform/web-runtime";

type Params = { appId: string; endpointId: string };

export const GET = apiRoute<Params>(async ({ params, db }) => {
  const app = await getApp(db, params.appId);
  return json(toEndpointResource(await getEndpoint(db, app.id, params.endpointId)));
});

export const PATCH = apiRoute<Params>(async ({ req, params, db, caller }) => {
  // An unknown app is answered before the body is read.
  const app = await authorizeApp(db, caller, params.appId);
  const input = await readJson(req, updateEndpointSchema);
  const endpoint = await editEndpoint(getUseCaseDeps(), caller, {
    ...input,
    appId: app.id,
    endpointId: params.endpointId,
  });
  return json(toEndpointResource(endpoint));
});

export const DELETE = apiRoute<Params>(async ({ params, caller }) => {
  await deleteEndpoint(getUseCaseDeps(), caller, params);
  return new Response(null, { status: 204 });
});
