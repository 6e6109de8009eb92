import { readOptionalJson } from "@/lib/api/request";
import { apiRoute, json } from "@/lib/api/route";
import { authorizeApp } from "@/lib/auth/caller";
import { rotateSecretSchema, toRotationResource } from "@/lib/endpoints/endpoints";
import { rotateSecret } from "@/lib/endpoints/rotate-secret";
import { getUseCaseDeps } from "@/lib/platform/web-runtime";

export const POST = apiRoute<{ appId: string; endpointId: string }>(async ({ req, params, db, caller }) => {
  // An unknown app is answered before the body is read.
  const app = await authorizeApp(db, caller, params.appId);
  const input = await readOptionalJson(req, rotateSecretSchema);
  const rotation = await rotateSecret(getUseCaseDeps(), caller, {
    appId: app.id,
    endpointId: params.endpointId,
    key: input.key,
  });
  return json(toRotationResource(rotation));
});
