// The one way an app is changed on someone's behalf: the caller must see
// the app (another app is "not found") and may change it (a viewer gets
// 403), and what was done is written to the app's activity log, whoever
// asked: an operator, the app's portal or an API key.
import type { App } from "@prisma/client";
import { actorName, assertCanMutate, authorizeApp, type Caller } from "../auth/caller";
import type { Db } from "../platform/db";
import { recordActivity, type ActivityInput } from "./activity";

/** One line of the activity log; the app and the actor are filled in. */
export type ActivityEntry = Omit<ActivityInput, "appId" | "actor">;

export interface RecordedChange<T> {
  result: T;
  /** What the change did, in the order it is logged. */
  activity: ActivityEntry | ActivityEntry[];
}

/**
 * Runs `change` on the app the caller names, once the caller may change it,
 * and logs its activity. `actor` is the name the change records anywhere
 * else (a manual attempt's "requested by").
 */
export async function withActivity<T>(
  db: Db,
  caller: Caller,
  appIdOrUid: string,
  change: (app: App, actor: string) => Promise<RecordedChange<T>>,
): Promise<T> {
  const app = await authorizeApp(db, caller, appIdOrUid);
  assertCanMutate(caller);
  const actor = actorName(caller);
  const { result, activity } = await change(app, actor);
  for (const entry of [activity].flat()) await recordActivity(db, { appId: app.id, actor, ...entry });
  return result;
}
