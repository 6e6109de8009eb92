import { apiRoute, json } from "@/lib/api/route";
import { readJson, searchParams, validate } from "@/lib/api/request";
import { createApp, createAppSchema, listApps, toAppResource } from "@/lib/apps/apps";
import { pageQuerySchema } from "@/lib/platform/pagination";

export const POST = apiRoute(async ({ req, db }) => {
  const input = await readJson(req, createAppSchema);
  return json(toAppResource(await createApp(db, input)), 201);
});

export const GET = apiRoute(async ({ req, db }) =>
  json(await listApps(db, validate(pageQuerySchema, searchParams(req)))),
);
