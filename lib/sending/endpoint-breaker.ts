// An endpoint that fails every attempt is probed, not flooded. Sending a
// dead endpoint each delivery on its schedule costs as much as sending a
// healthy one, and a consumer coming back up would meet the whole backlog
// at once.
//
// After `threshold` sent attempts in a row have failed, the endpoint's
// breaker opens. Its scheduled deliveries then wait in their rows, unsent:
// no attempt is recorded and none of their retry schedule is used
// (AttemptStore.hold). One attempt goes out as a probe after PROBE_AFTER_MS,
// then after twice as long each time, up to PROBE_MAX_MS; the first 2xx
// closes the breaker and makes every held delivery due at once, paced by
// the endpoint's cap and rate limit like any other attempt. A manual retry
// or a test event is always sent, so it probes too. A held delivery fails
// only when HELD_DELIVERY_DEADLINE passes.
//
// The state lives in the endpoint's row (breaker_failures, probe_at,
// probe_wait_ms), so every worker process agrees on it and a restart does
// not forget it. It is written only when it can change: a healthy
// endpoint's successes and an open breaker's held deliveries cost nothing.
import { Prisma } from "@prisma/client";
import { LRUCache } from "lru-cache";
import { createBatcher } from "../platform/batching";
import { releaseHeldDeliveries } from "../deliveries/attempt-store";
import { queryRows, type Pool } from "../platform/db";

/** Wait before the first probe of an open breaker; doubled after each probe. */
export const PROBE_AFTER_MS = 5_000;
/** The longest wait between probes: a recovered endpoint is found within this. */
export const PROBE_MAX_MS = 60_000;

/** What an attempt's loaded endpoint row says of its breaker. */
export interface BreakerState {
  breakerFailures: number;
  /** Set while the breaker is open: when the next probe may go. */
  probeAt: Date | null;
}

export type BreakerVerdict = "send" | "probe" | "hold";

/** Whether an attempt goes out, as the endpoint's row says: a "probe" must still be claimed. */
export function breakerVerdict(state: BreakerState, now: Date): BreakerVerdict {
  if (state.probeAt === null) return "send";
  return now < state.probeAt ? "hold" : "probe";
}

/** How the sent attempts to one endpoint, observed together, change its count of failures in a row. */
export interface BreakerChange {
  endpointId: string;
  /** A 2xx among them: the count starts again from 0 and an open breaker closes. */
  succeeded: boolean;
  /** Failures after the last 2xx (or all of them, if none). */
  failuresAfter: number;
}

/** Sums up outcomes in the order they were observed, as if recorded one by one. */
export function summarize(outcomes: Array<{ endpointId: string; succeeded: boolean }>): BreakerChange[] {
  const changes = new Map<string, BreakerChange>();
  for (const { endpointId, succeeded } of outcomes) {
    const change = changes.get(endpointId) ?? { endpointId, succeeded: false, failuresAfter: 0 };
    if (succeeded) {
      change.succeeded = true;
      change.failuresAfter = 0;
    } else change.failuresAfter++;
    changes.set(endpointId, change);
  }
  return [...changes.values()];
}

/** What a sent attempt did to its endpoint's breaker, when it did something. */
export type BreakerTransition = "opened" | "closed" | undefined;

export interface Observed {
  endpointId: string;
  succeeded: boolean;
  /** The endpoint's breaker as loaded with the attempt's delivery. */
  state: BreakerState;
}

export interface EndpointBreaker {
  /** Whether an attempt to the endpoint goes out now; a due probe is claimed by one attempt of all workers. */
  admit(endpointId: string, state: BreakerState): Promise<BreakerVerdict>;
  /** Records how a sent attempt ended, when that can change the breaker; says if it opened or closed it. */
  observe(observed: Observed): Promise<BreakerTransition>;
}

/**
 * Applies a batch of changes in one statement, rows locked in id order.
 * Returns the endpoints whose breaker opened or closed; a closed one has
 * its held deliveries made due at once.
 */
export async function applyBreakerChanges(
  pool: Pool,
  threshold: number,
  changes: BreakerChange[],
): Promise<Array<{ endpointId: string; transition: BreakerTransition }>> {
  const rows = await queryRows<{ id: string; was_open: boolean; open: boolean }>(
    pool,
    Prisma.sql`
    WITH input AS (
      SELECT * FROM unnest(${changes.map((c) => c.endpointId)}::text[], ${changes.map((c) => c.succeeded)}::boolean[],
                           ${changes.map((c) => c.failuresAfter)}::int[]) AS i(id, succeeded, failures_after)
    ), current AS (
      SELECT e.id, e.probe_at IS NOT NULL AS was_open,
             LEAST(${threshold}, CASE WHEN i.succeeded THEN 0 ELSE e.breaker_failures END + i.failures_after) AS failures,
             i.succeeded
      FROM endpoints e JOIN input i ON i.id = e.id
      ORDER BY e.id
      FOR NO KEY UPDATE OF e
    )
    UPDATE endpoints e
    SET breaker_failures = c.failures,
        -- Opens when the count reaches the threshold; a breaker already open
        -- keeps the probe times its probes set, unless a 2xx closed it first.
        probe_at = CASE
                     WHEN c.failures >= ${threshold} AND (c.succeeded OR NOT c.was_open)
                       THEN now() + make_interval(secs => ${PROBE_AFTER_MS / 1000})
                     WHEN c.succeeded THEN NULL
                     ELSE e.probe_at
                   END,
        probe_wait_ms = CASE
                          WHEN c.failures >= ${threshold} AND (c.succeeded OR NOT c.was_open) THEN ${PROBE_AFTER_MS * 2}
                          ELSE e.probe_wait_ms
                        END
    FROM current c
    WHERE e.id = c.id
    RETURNING e.id, c.was_open, e.probe_at IS NOT NULL AS open`,
    "apply-breaker-changes",
  );
  const closed = rows.filter((row) => row.was_open && !row.open).map((row) => row.id);
  // A statement of its own, after the endpoints' locks are released: recording
  // an attempt locks its delivery before its endpoint, so taking them the
  // other way round in one statement could deadlock.
  if (closed.length > 0) await releaseHeldDeliveries(pool, closed);
  return rows.map((row) => ({
    endpointId: row.id,
    transition: row.was_open === row.open ? undefined : row.open ? "opened" : "closed",
  }));
}

/**
 * Claims the endpoint's due probe for one attempt: moves the next probe on
 * (and doubles the wait after it) if the probe is still due. "send" if the
 * breaker closed meanwhile.
 */
async function claimProbe(pool: Pool, endpointId: string): Promise<BreakerVerdict> {
  const [row] = await queryRows<{ claimed: boolean; open: boolean }>(
    pool,
    Prisma.sql`
    WITH claimed AS (
      UPDATE endpoints
      SET probe_at = now() + make_interval(secs => probe_wait_ms / 1000.0),
          probe_wait_ms = LEAST(${PROBE_MAX_MS}, probe_wait_ms * 2)
      WHERE id = ${endpointId} AND probe_at <= now()
      RETURNING id
    )
    SELECT EXISTS (SELECT 1 FROM claimed) AS claimed, e.probe_at IS NOT NULL AS open
    FROM endpoints e WHERE e.id = ${endpointId}`,
  );
  if (!row) return "hold";
  if (row.claimed) return "probe";
  return row.open ? "hold" : "send";
}

/** The breaker of every endpoint, as its row keeps it; `threshold` 0 keeps every breaker closed. */
export function createEndpointBreaker(pool: Pool, threshold: number): EndpointBreaker {
  const changes = createBatcher(
    async (batch: Array<{ endpointId: string; succeeded: boolean }>) => {
      const transitions = new Map(
        (await applyBreakerChanges(pool, threshold, summarize(batch))).map((row) => [row.endpointId, row.transition]),
      );
      // One endpoint's transition is reported once, to the last of its attempts in the batch.
      return batch.map((item, index) => {
        const later = batch.slice(index + 1).some((other) => other.endpointId === item.endpointId);
        return later ? undefined : transitions.get(item.endpointId);
      });
    },
    { maxBatchSize: 100, maxInFlight: 1 },
  );
  // Endpoints whose failures this process counted: a success resets their
  // count even when it was loaded before those failures were written.
  const counted = new LRUCache<string, true>({ max: 10_000 });
  return {
    async admit(endpointId, state) {
      const verdict = breakerVerdict(state, new Date());
      return verdict === "probe" ? claimProbe(pool, endpointId) : verdict;
    },
    async observe({ endpointId, succeeded, state }) {
      if (threshold === 0) return undefined;
      const open = state.probeAt !== null;
      const matters = succeeded ? open || state.breakerFailures > 0 || counted.has(endpointId) : !open;
      if (!matters) return undefined;
      if (succeeded) counted.delete(endpointId);
      else counted.set(endpointId, true);
      return changes.submit({ endpointId, succeeded });
    },
  };
}
