import { readJson } from "@/lib/api/request";
import { apiRoute, json } from "@/lib/api/route";
import { editApp } from "@/lib/apps/app-changes";
import { getApp, toAppResource, updateAppSchema } from "@/lib/apps/apps";
import { authorizeApp } from "@/lib/auth/caller";
import { getUseCaseDeps } from "@/lib/platform/web-runtime";

export const GET = apiRoute<{ appId: string }>(async ({ params, db }) =>
  json(toAppResource(await getApp(db, params.appId))),
);

export const PATCH = apiRoute<{ appId: string }>(async ({ req, params, db, caller }) => {
  // An unknown app is answered before the body is read.
  const app = await authorizeApp(db, caller, params.appId);
  const input = await readJson(req, updateAppSchema);
  return json(toAppResource(await editApp(getUseCaseDeps(), caller, { ...input, appId: app.id })));
});
