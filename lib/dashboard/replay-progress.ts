// How far a replay has got: of the deliveries it queued, how many have had
// their replayed attempt, and how it went. Read from the attempts the
// replay's actor asked for since it began, so no replay needs a row of its own.
import { Prisma } from "@prisma/client";
import { z } from "zod";
import type { Db } from "../platform/db";
import { idAt } from "../platform/ids";

export interface ReplayProgressQuery {
  endpointId: string;
  /** The replayed range, as the replay was asked for. */
  from: string;
  to: string;
  eventTypes: string[];
  /** When the replay began (before its first job was queued), ISO. */
  since: string;
  /** Who asked for it: its attempts record this name. */
  actor: string;
}

export interface ReplayProgress {
  /** Deliveries whose latest attempt since the replay began succeeded. */
  succeeded: number;
  /** Deliveries whose latest attempt since the replay began failed. */
  failed: number;
}

/**
 * A replay's deliveries are the range's failed ones; each gets one manual
 * attempt by the replay's actor. Counting the range's deliveries with such an
 * attempt since the replay began is exact unless the same person retries a
 * delivery of the range by hand meanwhile. The read starts from the
 * endpoint's attempts since then (the (endpoint_id, id) index), so its cost
 * follows the replay, not the size of the log.
 */
export async function readReplayProgress(db: Db, appId: string, query: ReplayProgressQuery): Promise<ReplayProgress> {
  const types =
    query.eventTypes.length === 0
      ? Prisma.empty
      : Prisma.sql`AND EXISTS (
          SELECT 1 FROM deliveries d JOIN events e ON e.id = d.event_id
          WHERE d.id = latest.delivery_id AND e.event_type = ANY(${query.eventTypes}::text[]))`;
  const [row] = await db.$queryRaw<Array<{ succeeded: bigint; failed: bigint }>>(Prisma.sql`
    SELECT count(*) FILTER (WHERE latest.succeeded) AS succeeded,
           count(*) FILTER (WHERE NOT latest.succeeded) AS failed
    FROM (
      SELECT DISTINCT ON (a.delivery_id) a.delivery_id, a.succeeded
      FROM attempts a
      JOIN deliveries d ON d.id = a.delivery_id AND d.app_id = ${appId}
      WHERE a.endpoint_id = ${query.endpointId}
        AND a.id >= ${idAt("attempt", new Date(query.since), "start")}
        AND a.trigger = 'manual' AND a.triggered_by = ${query.actor}
        AND a.delivery_id >= ${idAt("delivery", new Date(query.from), "start")}
        AND a.delivery_id <= ${idAt("delivery", new Date(query.to), "end")}
      ORDER BY a.delivery_id, a.id DESC
    ) latest
    WHERE TRUE ${types}`);
  return { succeeded: Number(row?.succeeded ?? 0), failed: Number(row?.failed ?? 0) };
}

/** A replay as the endpoint page follows it: what was asked, when it began, and its counts so far. */
export interface FollowedReplay {
  input: { from: string; to: string; eventTypes: string };
  since: string;
  queued: number;
  succeeded: number;
  failed: number;
}

/** What a replay's activity entry records (lib/deliveries/replay.ts). */
const replayDetails = z.object({
  from: z.string(),
  to: z.string(),
  eventTypes: z.array(z.string()),
  queued: z.number(),
  startedAt: z.string(),
});

/**
 * A reload of the page must not lose the replay its reader started. The
 * largest replay is queued over about 17 minutes (REPLAY_MAX at
 * REPLAY_PER_SECOND), so one begun within the hour is still worth showing.
 */
const FOLLOWED_FOR_MS = 3_600_000;

/** The actor's latest replay of this endpoint begun within the hour, with its progress; none if there is none. */
export async function readLatestReplay(
  db: Db,
  appId: string,
  endpointId: string,
  actor: string,
): Promise<FollowedReplay | undefined> {
  const entry = await db.activity.findFirst({
    where: {
      appId,
      id: { gte: idAt("activity", new Date(Date.now() - FOLLOWED_FOR_MS), "start") },
      action: "endpoint.replayed",
      targetId: endpointId,
      actor,
    },
    orderBy: { id: "desc" },
    select: { details: true },
  });
  const details = replayDetails.safeParse(entry?.details);
  if (!details.success || details.data.queued === 0) return undefined;
  const { from, to, eventTypes, queued, startedAt } = details.data;
  const counts = await readReplayProgress(db, appId, { endpointId, from, to, eventTypes, since: startedAt, actor });
  return { input: { from, to, eventTypes: eventTypes.join(", ") }, since: startedAt, queued, ...counts };
}
