// Declaring, editing, archiving and restoring an app's event types, for an
// operator or an API key, through withActivity like every change. The
// app's consumer reads the catalogue in the portal but does not change it.
import type { EventType } from "@prisma/client";
import { withActivity, type ActivityEntry } from "../apps/with-activity";
import { assertCanManageApp, type Caller } from "../auth/caller";
import type { UseCaseDeps } from "../platform/web-runtime";
import { createEventType, updateEventType, type EventTypeChanges, type NewEventType } from "./event-types";

export async function declareEventType(
  deps: Pick<UseCaseDeps, "db">,
  caller: Caller,
  input: NewEventType & { appId: string },
): Promise<EventType> {
  const { appId, ...fields } = input;
  return withActivity(deps.db, caller, appId, async (app) => {
    assertCanManageApp(caller);
    const row = await createEventType(deps.db, app.id, fields);
    return {
      result: row,
      activity: {
        action: "event_type.created",
        targetType: "event_type",
        targetId: row.id,
        details: { name: row.name },
      },
    };
  });
}

/** Changes a type's description, example or schema, or archives or restores it; each is logged as such. */
export async function editEventType(
  deps: Pick<UseCaseDeps, "db">,
  caller: Caller,
  input: EventTypeChanges & { appId: string; name: string },
): Promise<EventType> {
  const { appId, name, ...changes } = input;
  return withActivity(deps.db, caller, appId, async (app) => {
    assertCanManageApp(caller);
    const row = await updateEventType(deps.db, app.id, name, changes);
    const { archived, ...fields } = changes;
    const activity: ActivityEntry[] = [];
    const target = { targetType: "event_type" as const, targetId: row.id };
    if (Object.keys(fields).length > 0) {
      activity.push({
        action: "event_type.updated",
        ...target,
        details: { name: row.name, changed: Object.keys(fields) },
      });
    }
    if (archived !== undefined) {
      activity.push({ action: archived ? "event_type.archived" : "event_type.restored", ...target, details: { name } });
    }
    return { result: row, activity };
  });
}
