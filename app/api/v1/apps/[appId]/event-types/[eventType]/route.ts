import { readJsonKeeping } from "@/lib/api/request";
import { apiRoute, json } from "@/lib/api/route";
import { getApp } from "@/lib/apps/apps";
import { authorizeApp } from "@/lib/auth/caller";
import { editEventType } from "@/lib/event-types/event-type-changes";
import { getEventType, toEventTypeResource, updateEventTypeSchema } from "@/lib/event-types/event-types";
import { getUseCaseDeps } from "@/lib/platform/web-runtime";

type Params = { appId: string; eventType: string };

export const GET = apiRoute<Params>(async ({ params, db }) => {
  const app = await getApp(db, params.appId);
  return json(toEventTypeResource(await getEventType(db, app.id, params.eventType)));
});

export const PATCH = apiRoute<Params>(async ({ req, params, db, caller }) => {
  // An unknown app is answered before the body is read.
  const app = await authorizeApp(db, caller, params.appId);
  const { input, source } = await readJsonKeeping(req, updateEventTypeSchema, "example");
  const { example, ...rest } = input;
  const row = await editEventType(getUseCaseDeps(), caller, {
    ...rest,
    ...(example !== undefined ? { example: source! } : {}),
    appId: app.id,
    name: params.eventType,
  });
  return json(toEventTypeResource(row));
});

/** Archives, as Svix does: the type leaves the portal and the pickers, and PATCH {"archived": false} brings it back. */
export const DELETE = apiRoute<Params>(async ({ params, caller }) => {
  await editEventType(getUseCaseDeps(), caller, { appId: params.appId, name: params.eventType, archived: true });
  return new Response(null, { status: 204 });
});
