import { readJson } from "@/lib/api/request";
import { apiRoute, json } from "@/lib/api/route";
import { getApp } from "@/lib/apps/apps";
import { authorizeApp } from "@/lib/auth/caller";
import { setEndpointHeaders } from "@/lib/endpoints/endpoint-changes";
import { endpointHeadersBodySchema } from "@/lib/endpoints/headers";
import { getEndpointHeaders } from "@/lib/endpoints/endpoints";
import { getUseCaseDeps } from "@/lib/platform/web-runtime";

type Params = { appId: string; endpointId: string };

// Kept apart from the endpoint resource: these values often hold credentials.
export const GET = apiRoute<Params>(async ({ params, db }) => {
  const app = await getApp(db, params.appId);
  return json({ headers: await getEndpointHeaders(db, app.id, params.endpointId) });
});

export const PUT = apiRoute<Params>(async ({ req, params, db, caller }) => {
  // An unknown app is answered before the body is read.
  const app = await authorizeApp(db, caller, params.appId);
  const { headers } = await readJson(req, endpointHeadersBodySchema);
  return json({
    headers: await setEndpointHeaders(getUseCaseDeps(), caller, {
      appId: app.id,
      endpointId: params.endpointId,
      headers,
    }),
  });
});
