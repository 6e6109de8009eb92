// A sending slot for an attempt: under its endpoint's concurrency cap and
// its rate limit, or word of when to come back.
import { getMetrics } from "../platform/metrics";
import type { LoadedDelivery } from "../deliveries/attempt-store";
import { Deferred, type AttemptDeps } from "./attempt-deps";
import type { Release } from "./endpoint-slots";

export type SlotDeps = Pick<AttemptDeps, "slots" | "rateLimiter">;

/**
 * An attempt its endpoint's cap refused: the slot it waits for in the
 * worker, outside the worker's sending slots.
 */
export class WaitForSlot {
  constructor(
    readonly endpointId: string,
    readonly slot: Promise<Release | undefined>,
  ) {}
}

/** Hands a refused attempt back to its row (or its job) until a slot of its endpoint can free. */
export function deferForCap(deps: Pick<SlotDeps, "slots">, endpointId: string): Deferred {
  getMetrics().attemptsDeferred.inc({ reason: "endpoint_cap" });
  // Spread over a second: those refused while it hung would otherwise all be loaded again at the same moment.
  return new Deferred(deps.slots.deferFor(endpointId) + Math.floor(Math.random() * 1000), endpointId);
}

/**
 * A sending slot for the delivery's endpoint (or the one `reserved` for
 * it): under its concurrency cap and its rate limit. A WaitForSlot says the
 * attempt is queued for the endpoint's next free slot; a Deferred says when
 * to try again.
 */
export async function acquireSending(
  deps: SlotDeps,
  delivery: LoadedDelivery,
  reserved?: Release,
): Promise<Release | WaitForSlot | Deferred> {
  const release = reserved ?? deps.slots.tryAcquire(delivery.endpointId);
  if (!release) {
    const slot = deps.slots.wait(delivery.endpointId);
    return slot ? new WaitForSlot(delivery.endpointId, slot) : deferForCap(deps, delivery.endpointId);
  }
  const limit = delivery.endpoint.rateLimit;
  if (limit === null) return release;
  const waitMs = await deps.rateLimiter.take(delivery.endpointId, limit).catch((error: unknown) => {
    release();
    throw error;
  });
  if (waitMs === 0) return release;
  release();
  getMetrics().attemptsDeferred.inc({ reason: "rate_limit" });
  // Spread over a second so that waiters do not all return when the next slot opens.
  return new Deferred(waitMs + Math.floor(Math.random() * 1000));
}
