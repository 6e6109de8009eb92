import { readJsonKeeping, searchParams, validate } from "@/lib/api/request";
import { apiRoute, json } from "@/lib/api/route";
import { getApp } from "@/lib/apps/apps";
import { authorizeApp } from "@/lib/auth/caller";
import { declareEventType } from "@/lib/event-types/event-type-changes";
import {
  createEventTypeSchema,
  listEventTypesPage,
  listEventTypesQuerySchema,
  toEventTypeResource,
} from "@/lib/event-types/event-types";
import { pageQuerySchema } from "@/lib/platform/pagination";
import { getUseCaseDeps } from "@/lib/platform/web-runtime";

export const POST = apiRoute<{ appId: string }>(async ({ req, params, db, caller }) => {
  // An unknown app is answered before the body is read.
  const app = await authorizeApp(db, caller, params.appId);
  // The example is kept as the operator wrote it, as an event's payload is.
  const { input, source } = await readJsonKeeping(req, createEventTypeSchema, "example");
  const row = await declareEventType(getUseCaseDeps(), caller, { ...input, example: source!, appId: app.id });
  return json(toEventTypeResource(row), 201);
});

export const GET = apiRoute<{ appId: string }>(async ({ req, params, db }) => {
  const app = await getApp(db, params.appId);
  const query = validate(pageQuerySchema.extend(listEventTypesQuerySchema.shape), searchParams(req));
  return json(await listEventTypesPage(db, app.id, query, query.includeArchived));
});
