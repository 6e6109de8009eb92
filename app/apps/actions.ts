"use server";
// Server actions of the dashboard and the portal: each resolves the caller,
// validates its input with the form's zod schema and hands over to a
// command in lib/dashboard/commands.ts, which checks ownership and role.
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { UnauthenticatedError, type Caller } from "@/lib/auth/caller";
import { getCaller } from "@/lib/auth/session";
import { getConfig } from "@/lib/platform/config";
import { getDb } from "@/lib/platform/db";
import { toActionResult, type ActionResult } from "@/lib/dashboard/action-result";
import * as commands from "@/lib/dashboard/commands";
import { getDeliveryDetail, type DeliveryDetail } from "@/lib/dashboard/deliveries";
import {
  createEndpointInputSchema,
  deliveryRefSchema,
  editEndpointInputSchema,
  endpointRefSchema,
  replayInputSchema,
  setEndpointEnabledSchema,
} from "@/lib/dashboard/schemas";
import { authorizeApp } from "@/lib/auth/caller";
import { getWebRuntime } from "@/lib/platform/web-runtime";

function deps(): commands.CommandDeps {
  const runtime = getWebRuntime();
  return {
    db: getDb(),
    producer: runtime.producer,
    policy: runtime.policy,
    logger: runtime.logger,
    rotationOverlapMs: getConfig().SECRET_ROTATION_OVERLAP,
  };
}

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

const retry = action(deliveryRefSchema, (caller, input) => commands.retryDelivery(deps(), caller, input));
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

const preview = action(replayInputSchema, (caller, input) => commands.previewReplay(deps(), caller, input));
export async function previewReplayAction(input: z.input<typeof replayInputSchema>) {
  return preview(input);
}

const replay = action(replayInputSchema, (caller, input) => commands.replayFailed(deps(), caller, input));
export async function replayFailedAction(input: z.input<typeof replayInputSchema>) {
  return replay(input);
}

const rotate = action(endpointRefSchema, (caller, input) => commands.rotateSecret(deps(), caller, input));
export async function rotateSecretAction(input: z.input<typeof endpointRefSchema>) {
  return rotate(input);
}

const reveal = action(endpointRefSchema, (caller, input) => commands.revealSecret(deps(), caller, input));
export async function revealSecretAction(input: z.input<typeof endpointRefSchema>) {
  return reveal(input);
}

const test = action(endpointRefSchema, (caller, input) => commands.sendTestEvent(deps(), caller, input));
export async function sendTestEventAction(input: z.input<typeof endpointRefSchema>) {
  return test(input);
}

const create = action(createEndpointInputSchema, (caller, input) => commands.createEndpoint(deps(), caller, input));
export async function createEndpointAction(input: z.input<typeof createEndpointInputSchema>) {
  const result = await create(input);
  if (result.ok) revalidatePath(`/apps/${input.appId}`);
  return result;
}

const edit = action(editEndpointInputSchema, (caller, input) => commands.editEndpoint(deps(), caller, input));
export async function editEndpointAction(input: z.input<typeof editEndpointInputSchema>) {
  const result = await edit(input);
  if (result.ok) revalidatePath(`/apps/${input.appId}`, "layout");
  return result;
}

const setEnabled = action(setEndpointEnabledSchema, (caller, input) =>
  commands.setEndpointEnabled(deps(), caller, input),
);
export async function setEndpointEnabledAction(input: z.input<typeof setEndpointEnabledSchema>) {
  const result = await setEnabled(input);
  if (result.ok) revalidatePath(`/apps/${input.appId}`, "layout");
  return result;
}
