// Changing an app's name and portal branding, for an operator or an API
// key, through withActivity; the consumer sees the branding but does not set it.
import type { App } from "@prisma/client";
import { assertCanManageApp, type Caller } from "../auth/caller";
import type { UseCaseDeps } from "../platform/web-runtime";
import { updateApp, type AppChanges } from "./apps";
import { withActivity } from "./with-activity";

export async function editApp(
  deps: Pick<UseCaseDeps, "db">,
  caller: Caller,
  input: AppChanges & { appId: string },
): Promise<App> {
  const { appId, ...changes } = input;
  return withActivity(deps.db, caller, appId, async (app) => {
    assertCanManageApp(caller);
    const updated = await updateApp(deps.db, app.id, changes);
    return {
      result: updated,
      activity: {
        action: "app.updated",
        targetType: "app",
        targetId: app.id,
        details: {
          name: updated.name,
          displayName: updated.displayName,
          logoUrl: updated.logoUrl,
          accentColor: updated.accentColor,
        },
      },
    };
  });
}
