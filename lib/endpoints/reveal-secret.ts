// Showing an endpoint's current signing secret to its owner. A viewer may
// not see it: it would let them forge webhooks. Every reveal is logged.
import { withActivity } from "../apps/with-activity";
import type { Caller } from "../auth/caller";
import type { UseCaseDeps } from "../platform/web-runtime";
import { revealEndpointSecret, type EndpointRef } from "./endpoints";

/** The current secret, in clear. */
export async function revealSecret(deps: Pick<UseCaseDeps, "db">, caller: Caller, ref: EndpointRef): Promise<string> {
  return withActivity(deps.db, caller, ref.appId, async (app) => ({
    result: await revealEndpointSecret(deps.db, app.id, ref.endpointId),
    activity: { action: "endpoint.secret_revealed", targetType: "endpoint", targetId: ref.endpointId },
  }));
}
