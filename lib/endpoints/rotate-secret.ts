// Rotating an endpoint's signing secret, for an operator, the app's portal
// or an API key; the replaced secret keeps signing for its overlap.
import { withActivity } from "../apps/with-activity";
import type { Caller } from "../auth/caller";
import type { UseCaseDeps } from "../platform/web-runtime";
import { rotateEndpointSecret, toRotationResource, type Rotation } from "./endpoints";

export interface RotateSecretInput {
  appId: string;
  endpointId: string;
  /** The new secret; generated when absent. */
  key?: string;
}

export async function rotateSecret(
  deps: Pick<UseCaseDeps, "db" | "rotationOverlapMs">,
  caller: Caller,
  input: RotateSecretInput,
): Promise<Rotation> {
  return withActivity(deps.db, caller, input.appId, async (app) => {
    const rotation = await rotateEndpointSecret(deps.db, app.id, input.endpointId, input.key, deps.rotationOverlapMs);
    const { previousSecretExpiresAt, droppedSecrets } = toRotationResource(rotation);
    return {
      result: rotation,
      activity: {
        action: "endpoint.secret_rotated",
        targetType: "endpoint",
        targetId: input.endpointId,
        details: { previousSecretExpiresAt, droppedSecrets },
      },
    };
  });
}
