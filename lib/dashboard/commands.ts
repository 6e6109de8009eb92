// What the dashboard and the portal can change. Each command takes the
// caller and explicit ids, checks that the caller may act on that app (an
// id from another app is "not found"; a viewer gets 403), makes the change
// through the domain functions, and writes the activity log. Nothing here
// sends a webhook: retries, replays and test events go through the queue.
import type { z } from "zod";
import { recordActivity } from "../apps/activity";
import { assertCanMutate, actorName, authorizeApp, type Caller } from "../auth/caller";
import type { Db } from "../platform/db";
import { getDelivery } from "../deliveries/deliveries";
import {
  createEndpoint as createEndpointRow,
  getEndpoint,
  revealEndpointSecret,
  rotateEndpointSecret,
  toRotationResource,
  updateEndpoint,
} from "../endpoints/endpoints";
import { ValidationError } from "../platform/errors";
import type { Logger } from "../platform/logger";
import type { DeliveryProducer } from "../queue/producer";
import { sendTestEvent as queueTestEvent } from "../endpoints/test-events";
import type { DestinationPolicy } from "../endpoints/url-guard";
import type {
  createEndpointInputSchema,
  deliveryRefSchema,
  editEndpointInputSchema,
  endpointRefSchema,
  ReplayInput,
  setEndpointEnabledSchema,
} from "./schemas";
import { idAt } from "../platform/ids";

export interface CommandDeps {
  db: Db;
  producer: DeliveryProducer;
  policy: DestinationPolicy;
  logger: Logger;
  /** SECRET_ROTATION_OVERLAP */
  rotationOverlapMs: number;
}

/** A replay sends at most this many deliveries per second. */
export const REPLAY_PER_SECOND = 10;
/** And at most this many in one request. */
export const REPLAY_MAX = 10_000;

export async function retryDelivery(deps: CommandDeps, caller: Caller, input: z.infer<typeof deliveryRefSchema>) {
  const app = await authorizeApp(deps.db, caller, input.appId);
  assertCanMutate(caller);
  const delivery = await getDelivery(deps.db, app.id, input.deliveryId);
  await deps.producer.addManual(delivery.id, actorName(caller));
  await recordActivity(deps.db, {
    appId: app.id,
    actor: actorName(caller),
    action: "delivery.retried",
    targetType: "delivery",
    targetId: delivery.id,
    details: { endpointId: delivery.endpointId, eventId: delivery.eventId },
  });
  return { queued: true };
}

function replayWhere(appId: string, input: ReplayInput) {
  return {
    appId,
    endpointId: input.endpointId,
    status: "failed" as const,
    id: { gte: idAt("delivery", new Date(input.from), "start"), lte: idAt("delivery", new Date(input.to), "end") },
    ...(input.eventTypes.length > 0 ? { event: { eventType: { in: input.eventTypes } } } : {}),
  };
}

/** How many failed deliveries a replay of this range would send: shown before confirming. */
export async function previewReplay(deps: Pick<CommandDeps, "db">, caller: Caller, input: ReplayInput) {
  const app = await authorizeApp(deps.db, caller, input.appId);
  const endpoint = await getEndpoint(deps.db, app.id, input.endpointId);
  const count = await deps.db.delivery.count({ where: replayWhere(app.id, { ...input, endpointId: endpoint.id }) });
  return { count, perSecond: REPLAY_PER_SECOND, max: REPLAY_MAX };
}

export async function replayFailed(deps: CommandDeps, caller: Caller, input: ReplayInput) {
  const app = await authorizeApp(deps.db, caller, input.appId);
  assertCanMutate(caller);
  const endpoint = await getEndpoint(deps.db, app.id, input.endpointId);
  const deliveries = await deps.db.delivery.findMany({
    where: replayWhere(app.id, { ...input, endpointId: endpoint.id }),
    orderBy: { id: "asc" },
    select: { id: true },
    take: REPLAY_MAX + 1,
  });
  if (deliveries.length > REPLAY_MAX) {
    throw new ValidationError(`more than ${REPLAY_MAX} failed deliveries in this range: choose a shorter one`, "from");
  }
  const actor = actorName(caller);
  // Oldest first, REPLAY_PER_SECOND per second, so the endpoint sees a steady trickle.
  const CHUNK = 100;
  for (let start = 0; start < deliveries.length; start += CHUNK) {
    await Promise.all(
      deliveries.slice(start, start + CHUNK).map((delivery, offset) =>
        deps.producer.addManual(delivery.id, actor, {
          delayMs: Math.floor((start + offset) / REPLAY_PER_SECOND) * 1000,
        }),
      ),
    );
  }
  await recordActivity(deps.db, {
    appId: app.id,
    actor,
    action: "endpoint.replayed",
    targetType: "endpoint",
    targetId: endpoint.id,
    details: { from: input.from, to: input.to, eventTypes: input.eventTypes, queued: deliveries.length },
  });
  return { queued: deliveries.length, seconds: Math.ceil(deliveries.length / REPLAY_PER_SECOND) };
}

export async function rotateSecret(deps: CommandDeps, caller: Caller, input: z.infer<typeof endpointRefSchema>) {
  const app = await authorizeApp(deps.db, caller, input.appId);
  assertCanMutate(caller);
  const rotated = toRotationResource(
    await rotateEndpointSecret(deps.db, app.id, input.endpointId, undefined, deps.rotationOverlapMs),
  );
  await recordActivity(deps.db, {
    appId: app.id,
    actor: actorName(caller),
    action: "endpoint.secret_rotated",
    targetType: "endpoint",
    targetId: input.endpointId,
    details: { previousSecretExpiresAt: rotated.previousSecretExpiresAt, droppedSecrets: rotated.droppedSecrets },
  });
  return rotated;
}

/** The current secret; viewers cannot see it (it would let them forge webhooks). */
export async function revealSecret(
  deps: Pick<CommandDeps, "db">,
  caller: Caller,
  input: z.infer<typeof endpointRefSchema>,
) {
  const app = await authorizeApp(deps.db, caller, input.appId);
  assertCanMutate(caller);
  const key = await revealEndpointSecret(deps.db, app.id, input.endpointId);
  await recordActivity(deps.db, {
    appId: app.id,
    actor: actorName(caller),
    action: "endpoint.secret_revealed",
    targetType: "endpoint",
    targetId: input.endpointId,
  });
  return { key };
}

export async function sendTestEvent(deps: CommandDeps, caller: Caller, input: z.infer<typeof endpointRefSchema>) {
  const app = await authorizeApp(deps.db, caller, input.appId);
  assertCanMutate(caller);
  const endpoint = await getEndpoint(deps.db, app.id, input.endpointId);
  const sent = await queueTestEvent(deps.db, deps.producer, deps.logger, app.id, endpoint.id);
  await recordActivity(deps.db, {
    appId: app.id,
    actor: actorName(caller),
    action: "endpoint.test_sent",
    targetType: "endpoint",
    targetId: endpoint.id,
    details: { deliveryId: sent.deliveryId },
  });
  return sent;
}

export async function createEndpoint(
  deps: CommandDeps,
  caller: Caller,
  input: z.infer<typeof createEndpointInputSchema>,
) {
  const app = await authorizeApp(deps.db, caller, input.appId);
  assertCanMutate(caller);
  const endpoint = await createEndpointRow(
    deps.db,
    app.id,
    { url: input.url, description: input.description, eventTypes: input.eventTypes, rateLimit: null },
    deps.policy,
  );
  await recordActivity(deps.db, {
    appId: app.id,
    actor: actorName(caller),
    action: "endpoint.created",
    targetType: "endpoint",
    targetId: endpoint.id,
    details: { url: endpoint.url },
  });
  return { id: endpoint.id };
}

export async function editEndpoint(deps: CommandDeps, caller: Caller, input: z.infer<typeof editEndpointInputSchema>) {
  const app = await authorizeApp(deps.db, caller, input.appId);
  assertCanMutate(caller);
  const endpoint = await updateEndpoint(
    deps.db,
    app.id,
    input.endpointId,
    { url: input.url, description: input.description, eventTypes: input.eventTypes },
    deps.policy,
  );
  await recordActivity(deps.db, {
    appId: app.id,
    actor: actorName(caller),
    action: "endpoint.updated",
    targetType: "endpoint",
    targetId: endpoint.id,
    details: { url: endpoint.url, description: endpoint.description, eventTypes: endpoint.eventTypes },
  });
  return { id: endpoint.id };
}

export async function setEndpointEnabled(
  deps: CommandDeps,
  caller: Caller,
  input: z.infer<typeof setEndpointEnabledSchema>,
) {
  const app = await authorizeApp(deps.db, caller, input.appId);
  assertCanMutate(caller);
  const endpoint = await updateEndpoint(deps.db, app.id, input.endpointId, { disabled: !input.enabled }, deps.policy);
  await recordActivity(deps.db, {
    appId: app.id,
    actor: actorName(caller),
    action: input.enabled ? "endpoint.enabled" : "endpoint.disabled",
    targetType: "endpoint",
    targetId: endpoint.id,
  });
  return { disabled: endpoint.disabled };
}
