import { readOptionalJson } from "@/lib/api/request";
import { apiRoute, json } from "@/lib/api/route";
import { getApp } from "@/lib/apps/apps";
import { getConfig } from "@/lib/platform/config";
import { rotateEndpointSecret, rotateSecretSchema, toRotationResource } from "@/lib/endpoints/endpoints";

export const POST = apiRoute<{ appId: string; endpointId: string }>(async ({ req, params, db }) => {
  const app = await getApp(db, params.appId);
  const input = await readOptionalJson(req, rotateSecretSchema);
  const rotated = await rotateEndpointSecret(
    db,
    app.id,
    params.endpointId,
    input.key,
    getConfig().SECRET_ROTATION_OVERLAP,
  );
  return json(toRotationResource(rotated));
});
