"use server";
// Server actions of the dashboard and the portal: each resolves the caller,
// validates its input with the form's zod schema, hands over to the use
// case the API calls too (which checks ownership and role and logs the
// activity), and shapes its answer for the page.
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { actorName, authorizeApp, UnauthenticatedError, type Caller } from "@/lib/auth/caller";
import { getCaller } from "@/lib/auth/session";
import { getDb } from "@/lib/platform/db";
import { toActionResult, type ActionResult } from "@/lib/dashboard/action-result";
import { getDeliveryDetail, type DeliveryDetail } from "@/lib/dashboard/deliveries";
import {
  appSettingsInputSchema,
  createEndpointInputSchema,
  declareEventTypeInputSchema,
  deliveryRefSchema,
  editEndpointInputSchema,
  editEventTypeInputSchema,
  endpointRefSchema,
  replayInputSchema,
  replayProgressSchema,
  setEndpointEnabledSchema,
  setEventTypeArchivedSchema,
  testEventInputSchema,
} from "@/lib/dashboard/schemas";
import { editApp } from "@/lib/apps/app-changes";
import { declareEventType, editEventType } from "@/lib/event-types/event-type-changes";
import type { JsonSchema } from "@/lib/event-types/json-schema";
import { readLatestReplay, readReplayProgress } from "@/lib/dashboard/replay-progress";
import { previewReplay, replayFailed } from "@/lib/deliveries/replay";
import { retryDelivery } from "@/lib/deliveries/retry";
import { createEndpoint, editEndpoint, setEndpointEnabled } from "@/lib/endpoints/endpoint-changes";
import { getEndpoint, toRotationResource } from "@/lib/endpoints/endpoints";
import { revealSecret } from "@/lib/endpoints/reveal-secret";
import { rotateSecret } from "@/lib/endpoints/rotate-secret";
import { sendTestEvent } from "@/lib/endpoints/send-test-event";
import { getUseCaseDeps, getWebRuntime } from "@/lib/platform/web-runtime";

function action<Schema extends z.ZodType, T>(
  schema: Schema,
  run: (caller: Caller, input: z.infer<Schema>) => Promise<T>,
): (input: z.input<Schema>) => Promise<ActionResult<T>> {
  return (input) =>
    toActionResult(
      async () => {
        const caller = await getCaller();
        if (!caller) throw new UnauthenticatedError();
        return run(caller, schema.parse(input));
      },
      (error) => getWebRuntime().logger.error({ err: error }, "dashboard action failed"),
    );
}

const retry = action(deliveryRefSchema, async (caller, input) => {
  await retryDelivery(getUseCaseDeps(), caller, input);
  return { queued: true };
});
export async function retryDeliveryAction(input: z.input<typeof deliveryRefSchema>) {
  return retry(input);
}

const pollDelivery = action(deliveryRefSchema, async (caller, input): Promise<DeliveryDetail> => {
  const app = await authorizeApp(getDb(), caller, input.appId);
  return getDeliveryDetail(getDb(), app.id, input.deliveryId);
});
export async function getDeliveryAction(input: z.input<typeof deliveryRefSchema>) {
  return pollDelivery(input);
}

const preview = action(replayInputSchema, (caller, input) => previewReplay(getUseCaseDeps(), caller, input));
export async function previewReplayAction(input: z.input<typeof replayInputSchema>) {
  return preview(input);
}

const replay = action(replayInputSchema, (caller, input) => replayFailed(getUseCaseDeps(), caller, input));
export async function replayFailedAction(input: z.input<typeof replayInputSchema>) {
  return replay(input);
}

/** The app and endpoint the caller may see; another app's is "not found". */
async function visibleEndpoint(caller: Caller, input: { appId: string; endpointId: string }) {
  const app = await authorizeApp(getDb(), caller, input.appId);
  return { appId: app.id, endpointId: (await getEndpoint(getDb(), app.id, input.endpointId)).id };
}

// Reads, open to viewers: the caller's own replays of this endpoint.
const progress = action(replayProgressSchema, async (caller, input) => {
  const { appId, endpointId } = await visibleEndpoint(caller, input);
  return readReplayProgress(getDb(), appId, { ...input, endpointId, actor: actorName(caller) });
});
export async function replayProgressAction(input: z.input<typeof replayProgressSchema>) {
  return progress(input);
}

const latestReplay = action(endpointRefSchema, async (caller, input) => {
  const { appId, endpointId } = await visibleEndpoint(caller, input);
  return (await readLatestReplay(getDb(), appId, endpointId, actorName(caller))) ?? null;
});
export async function latestReplayAction(input: z.input<typeof endpointRefSchema>) {
  return latestReplay(input);
}

const rotate = action(endpointRefSchema, async (caller, input) =>
  toRotationResource(await rotateSecret(getUseCaseDeps(), caller, input)),
);
export async function rotateSecretAction(input: z.input<typeof endpointRefSchema>) {
  return rotate(input);
}

const reveal = action(endpointRefSchema, async (caller, input) => ({
  key: await revealSecret(getUseCaseDeps(), caller, input),
}));
export async function revealSecretAction(input: z.input<typeof endpointRefSchema>) {
  return reveal(input);
}

const test = action(testEventInputSchema, (caller, input) => sendTestEvent(getUseCaseDeps(), caller, input));
export async function sendTestEventAction(input: z.input<typeof testEventInputSchema>) {
  return test(input);
}

const create = action(createEndpointInputSchema, async (caller, input) => {
  const endpoint = await createEndpoint(getUseCaseDeps(), caller, input);
  return { id: endpoint.id };
});
export async function createEndpointAction(input: z.input<typeof createEndpointInputSchema>) {
  const result = await create(input);
  if (result.ok) revalidatePath(`/apps/${input.appId}`);
  return result;
}

const edit = action(editEndpointInputSchema, async (caller, input) => {
  const endpoint = await editEndpoint(getUseCaseDeps(), caller, input);
  return { id: endpoint.id };
});
export async function editEndpointAction(input: z.input<typeof editEndpointInputSchema>) {
  const result = await edit(input);
  if (result.ok) revalidatePath(`/apps/${input.appId}`, "layout");
  return result;
}

const setEnabled = action(setEndpointEnabledSchema, async (caller, input) => {
  const endpoint = await setEndpointEnabled(getUseCaseDeps(), caller, input);
  return { disabled: endpoint.disabled };
});
export async function setEndpointEnabledAction(input: z.input<typeof setEndpointEnabledSchema>) {
  const result = await setEnabled(input);
  if (result.ok) revalidatePath(`/apps/${input.appId}`, "layout");
  return result;
}

/** The form's schema text as the use case takes it: empty is none (the form's schema has checked it is an object). */
function schemaOf(text: string): JsonSchema | null {
  return text === "" ? null : (JSON.parse(text) as JsonSchema);
}

const declare = action(declareEventTypeInputSchema, async (caller, input) => {
  const row = await declareEventType(getUseCaseDeps(), caller, { ...input, schema: schemaOf(input.schema) });
  return { name: row.name };
});
export async function declareEventTypeAction(input: z.input<typeof declareEventTypeInputSchema>) {
  const result = await declare(input);
  if (result.ok) revalidatePath(`/apps/${input.appId}`, "layout");
  return result;
}

const editType = action(editEventTypeInputSchema, async (caller, input) => {
  const row = await editEventType(getUseCaseDeps(), caller, { ...input, schema: schemaOf(input.schema) });
  return { name: row.name };
});
export async function editEventTypeAction(input: z.input<typeof editEventTypeInputSchema>) {
  const result = await editType(input);
  if (result.ok) revalidatePath(`/apps/${input.appId}`, "layout");
  return result;
}

const setArchived = action(setEventTypeArchivedSchema, async (caller, input) => {
  const row = await editEventType(getUseCaseDeps(), caller, input);
  return { archived: row.archivedAt !== null };
});
export async function setEventTypeArchivedAction(input: z.input<typeof setEventTypeArchivedSchema>) {
  const result = await setArchived(input);
  if (result.ok) revalidatePath(`/apps/${input.appId}`, "layout");
  return result;
}

const settings = action(appSettingsInputSchema, async (caller, input) => {
  const app = await editApp(getUseCaseDeps(), caller, input);
  return { id: app.id };
});
export async function editAppSettingsAction(input: z.input<typeof appSettingsInputSchema>) {
  const result = await settings(input);
  if (result.ok) revalidatePath(`/apps/${input.appId}`, "layout");
  return result;
}
