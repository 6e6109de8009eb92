import { apiRoute, json } from "@/lib/api/route";
import { getApp, toAppResource } from "@/lib/apps/apps";

export const GET = apiRoute<{ appId: string }>(async ({ params, db }) =>
  json(toAppResource(await getApp(db, params.appId))),
);
