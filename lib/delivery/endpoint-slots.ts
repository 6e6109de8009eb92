// A per-endpoint cap on concurrent requests within one worker process, so
// one slow or hanging consumer cannot occupy every worker slot and starve
// the healthy ones. With several worker processes the cap applies to each.
//
// The cap adapts as TCP's window does: each timeout halves it, down to one
// request at a time, and each answer raises it by one, back up to
// ENDPOINT_CONCURRENCY. An endpoint that hangs then holds one slot, not the
// full cap, while one that merely answers slowly keeps its concurrency.
//
// An attempt refused a slot waits for a while (in its row, for the
// scheduler; a manual one as a delayed job). How long is paced by the
// endpoint itself: it frees a slot every (request time / cap) on average,
// so each refused attempt is given the next such turn. Waiting attempts
// then come back about once each, when a slot is likely free, instead of
// all of them polling every half second and crowding the healthy
// endpoints' attempts out of the queue.
import { LRUCache } from "lru-cache";

/** Bounds of a deferral: long enough not to spin, short enough that a recovered endpoint is not left idle. */
const MIN_DEFER_MS = 100;
const MAX_DEFER_MS = 60_000;
/** Assumed request time of an endpoint not seen yet. */
const UNKNOWN_DURATION_MS = 1_000;
/** Weight of the newest request time in the running average. */
const SMOOTHING = 0.2;

export class EndpointSlots {
  private readonly inUse = new Map<string, number>();
  /** Running average of request time per endpoint, in ms. */
  private readonly durations = new LRUCache<string, number>({ max: 10_000 });
  /** The last turn handed to a waiting job, per endpoint (epoch ms). */
  private readonly turns = new LRUCache<string, number>({ max: 10_000 });
  /** Caps lowered by timeouts; an endpoint not listed has the full limit. */
  private readonly caps = new LRUCache<string, number>({ max: 10_000 });

  constructor(private readonly limit: number) {}

  /** How many requests the endpoint may have in flight now. */
  capOf(endpointId: string): number {
    return this.caps.get(endpointId) ?? this.limit;
  }

  /** A release function when a slot is free, or undefined when the endpoint is at its cap. */
  tryAcquire(endpointId: string): (() => void) | undefined {
    const used = this.inUse.get(endpointId) ?? 0;
    if (used >= this.capOf(endpointId)) return undefined;
    this.inUse.set(endpointId, used + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const remaining = (this.inUse.get(endpointId) ?? 1) - 1;
      if (remaining === 0) this.inUse.delete(endpointId);
      else this.inUse.set(endpointId, remaining);
    };
  }

  /** Records how long a request to the endpoint took, and whether it timed out. */
  observe(endpointId: string, durationMs: number, timedOut = false): void {
    const previous = this.durations.get(endpointId);
    this.durations.set(
      endpointId,
      previous === undefined ? durationMs : previous + SMOOTHING * (durationMs - previous),
    );
    const cap = this.capOf(endpointId);
    const next = timedOut ? Math.max(1, Math.floor(cap / 2)) : Math.min(this.limit, cap + 1);
    if (next === this.limit) this.caps.delete(endpointId);
    else this.caps.set(endpointId, next);
  }

  /** How long a job refused a slot should stay away: until its turn at the endpoint's pace. */
  deferFor(endpointId: string, now = Date.now()): number {
    const spacing = (this.durations.get(endpointId) ?? UNKNOWN_DURATION_MS) / this.capOf(endpointId);
    const turn = Math.max(now, this.turns.get(endpointId) ?? 0) + spacing;
    this.turns.set(endpointId, turn);
    return Math.round(Math.min(MAX_DEFER_MS, Math.max(MIN_DEFER_MS, turn - now)));
  }
}
