// Replay: every failed delivery of one endpoint in a time range, optionally
// of some event types only, queued again at a steady pace.
import { withActivity } from "../apps/with-activity";
import { authorizeApp, type Caller } from "../auth/caller";
import { getEndpoint } from "../endpoints/endpoints";
import { ValidationError } from "../platform/errors";
import { idAt } from "../platform/ids";
import type { UseCaseDeps } from "../platform/web-runtime";

/** A replay sends at most this many deliveries per second. */
export const REPLAY_PER_SECOND = 10;
/** And at most this many in one request. */
export const REPLAY_MAX = 10_000;

export interface ReplayRange {
  appId: string;
  endpointId: string;
  /** ISO 8601 */
  from: string;
  to: string;
  /** Empty: every event type. */
  eventTypes: string[];
}

function replayWhere(appId: string, input: ReplayRange) {
  return {
    appId,
    endpointId: input.endpointId,
    status: "failed" as const,
    id: { gte: idAt("delivery", new Date(input.from), "start"), lte: idAt("delivery", new Date(input.to), "end") },
    ...(input.eventTypes.length > 0 ? { event: { eventType: { in: input.eventTypes } } } : {}),
  };
}

/** How many failed deliveries a replay of this range would send: shown before confirming. */
export async function previewReplay(deps: Pick<UseCaseDeps, "db">, caller: Caller, input: ReplayRange) {
  const app = await authorizeApp(deps.db, caller, input.appId);
  const endpoint = await getEndpoint(deps.db, app.id, input.endpointId);
  const count = await deps.db.delivery.count({ where: replayWhere(app.id, { ...input, endpointId: endpoint.id }) });
  return { count, perSecond: REPLAY_PER_SECOND, max: REPLAY_MAX };
}

export async function replayFailed(deps: Pick<UseCaseDeps, "db" | "producer">, caller: Caller, input: ReplayRange) {
  return withActivity(deps.db, caller, input.appId, async (app, actor) => {
    // Every attempt the replay causes is made after this, so its progress can be read from them.
    const startedAt = new Date();
    const endpoint = await getEndpoint(deps.db, app.id, input.endpointId);
    const deliveries = await deps.db.delivery.findMany({
      where: replayWhere(app.id, { ...input, endpointId: endpoint.id }),
      orderBy: { id: "asc" },
      select: { id: true },
      take: REPLAY_MAX + 1,
    });
    if (deliveries.length > REPLAY_MAX) {
      throw new ValidationError(
        `more than ${REPLAY_MAX} failed deliveries in this range: choose a shorter one`,
        "from",
      );
    }
    // Oldest first, REPLAY_PER_SECOND per second, so the endpoint sees a steady trickle.
    const CHUNK = 100;
    for (let start = 0; start < deliveries.length; start += CHUNK) {
      await Promise.all(
        deliveries.slice(start, start + CHUNK).map((delivery, offset) =>
          deps.producer.addManual({ deliveryId: delivery.id, endpointId: endpoint.id }, actor, {
            delayMs: Math.floor((start + offset) / REPLAY_PER_SECOND) * 1000,
          }),
        ),
      );
    }
    return {
      result: {
        queued: deliveries.length,
        seconds: Math.ceil(deliveries.length / REPLAY_PER_SECOND),
        startedAt: startedAt.toISOString(),
      },
      activity: {
        action: "endpoint.replayed",
        targetType: "endpoint",
        targetId: endpoint.id,
        details: {
          from: input.from,
          to: input.to,
          eventTypes: input.eventTypes,
          queued: deliveries.length,
          startedAt: startedAt.toISOString(),
        },
      },
    };
  });
}
