// A per-endpoint cap on concurrent requests within one worker process, so
// one slow or hanging consumer cannot occupy every worker slot and starve
// the healthy ones. With several worker processes the cap applies to each.
//
// The cap adapts as TCP's window does: each timeout halves it, down to one
// request at a time, and each answer raises it by one, back up to
// ENDPOINT_CONCURRENCY. An endpoint that hangs then holds one slot, not the
// full cap, while one that merely answers slowly keeps its concurrency.
//
// An attempt refused a slot waits in the process, in its endpoint's queue,
// and is handed the next slot that frees, first come first served. Waiting
// holds none of the worker's sending slots, only the attempt's job. The
// queues are bounded (per endpoint and in all), and an attempt that finds
// its endpoint's queue full waits in its row instead (for the scheduler; a
// manual one as a delayed job) until the endpoint's oldest request in
// flight has timed out: no slot can be counted on sooner, and a past
// average says nothing about an endpoint that has stopped answering. The
// worker remembers those rows, and brings them forward as soon as their
// endpoint has a free slot and nobody waiting: an endpoint that is merely
// busy does not keep them for a whole timeout.
import { LRUCache } from "lru-cache";

/** A row waits at least this long, so that it does not come back before anything could have changed. */
const MIN_DEFER_MS = 100;
/** Past the request's own timeout, for the timeout to have fired and its slot to be free. */
const DEFER_MARGIN_MS = 100;
/**
 * Waiters per endpoint, as a multiple of its cap now: a new endpoint's first
 * burst waits in the process, while one whose timeouts cut its cap to one
 * keeps few, as it frees a slot only once per timeout.
 */
const WAITERS_PER_SLOT = 10;

/** Frees a slot; calling it again does nothing. */
export type Release = () => void;

interface Waiter {
  /** A slot handed over, or undefined when the waiter is sent away (the worker is stopping). */
  resolve: (release: Release | undefined) => void;
}

/** An attempt handed back to its row by its endpoint's cap: the delivery, and the step of its schedule. */
export interface Postponed {
  deliveryId: string;
  attempt: number;
}

export interface EndpointSlotsOptions {
  /** ENDPOINT_CONCURRENCY */
  limit: number;
  /** DELIVERY_TIMEOUT: a request in flight frees its slot by then. */
  timeoutMs: number;
  /** Attempts waiting in the process for any endpoint, at most. */
  maxWaiting: number;
  /** Once aborted, every waiter is sent away and no more are taken. */
  stopping?: AbortSignal;
  /** Called with postponed attempts of an endpoint that has room for them before their turn. */
  onRoom?: (postponed: Postponed[]) => void;
  now?: () => number;
}

export class EndpointSlots {
  /** When each request in flight took its slot, per endpoint (epoch ms). */
  private readonly inFlight = new Map<string, number[]>();
  private readonly waiters = new Map<string, Waiter[]>();
  private waiting = 0;
  /** Caps lowered by timeouts; an endpoint not listed has the full limit. */
  private readonly caps = new LRUCache<string, number>({ max: 10_000 });
  /** Attempts in their rows, per endpoint, oldest first: woken when the endpoint has room before their turn. */
  private readonly postponed = new LRUCache<string, Postponed[]>({ max: 1_000 });
  private readonly limit: number;
  private readonly timeoutMs: number;
  readonly maxWaiting: number;
  private readonly stopping?: AbortSignal;
  private readonly onRoom: (postponed: Postponed[]) => void;
  private readonly now: () => number;

  constructor(options: EndpointSlotsOptions) {
    this.limit = options.limit;
    this.timeoutMs = options.timeoutMs;
    this.maxWaiting = options.maxWaiting;
    this.stopping = options.stopping;
    this.onRoom = options.onRoom ?? (() => {});
    this.now = options.now ?? Date.now;
    this.stopping?.addEventListener("abort", () => this.sendAllAway(), { once: true });
  }

  /** How many requests the endpoint may have in flight now. */
  capOf(endpointId: string): number {
    return this.caps.get(endpointId) ?? this.limit;
  }

  /** Attempts waiting in the process for a slot, for any endpoint. */
  waitingCount(): number {
    return this.waiting;
  }

  /** A release function when a slot is free and nobody is waiting for one, or undefined. */
  tryAcquire(endpointId: string): Release | undefined {
    if (this.waiters.has(endpointId) || this.used(endpointId) >= this.capOf(endpointId)) return undefined;
    return this.take(endpointId);
  }

  /**
   * After tryAcquire refused: a promise of the next slot of the endpoint that
   * frees, or undefined when its queue (or all the queues) is full. The
   * promise gives undefined instead if the worker starts stopping first.
   */
  wait(endpointId: string): Promise<Release | undefined> | undefined {
    const queue = this.waiters.get(endpointId) ?? [];
    if (this.stopping?.aborted || this.waiting >= this.maxWaiting || queue.length >= this.waitersFor(endpointId)) {
      return undefined;
    }
    return new Promise((resolve) => {
      queue.push({ resolve });
      this.waiters.set(endpointId, queue);
      this.waiting++;
    });
  }

  /** Records whether a request to the endpoint timed out; the cap follows, and waiters get what it frees. */
  observe(endpointId: string, _durationMs: number, timedOut = false): void {
    const cap = this.capOf(endpointId);
    const next = timedOut ? Math.max(1, Math.floor(cap / 2)) : Math.min(this.limit, cap + 1);
    if (next === this.limit) this.caps.delete(endpointId);
    else this.caps.set(endpointId, next);
    this.handOver(endpointId);
    // Those who would now wait past several timeouts go back to their rows, the latest first.
    const queue = this.waiters.get(endpointId);
    while (queue && queue.length > this.waitersFor(endpointId)) {
      this.waiting--;
      queue.pop()!.resolve(undefined);
    }
  }

  /**
   * How long an attempt that could not wait in the process should stay in
   * its row: until the endpoint's oldest request in flight has timed out,
   * the latest a slot can free.
   */
  deferFor(endpointId: string): number {
    const oldest = this.inFlight.get(endpointId)?.[0];
    if (oldest === undefined) return MIN_DEFER_MS;
    return Math.max(MIN_DEFER_MS, oldest + this.timeoutMs + DEFER_MARGIN_MS - this.now());
  }

  /** At most half of all the waiters, so that a hanging endpoint leaves room for others that reach their caps. */
  private waitersFor(endpointId: string): number {
    return Math.min(Math.floor(this.maxWaiting / 2), WAITERS_PER_SLOT * this.capOf(endpointId));
  }

  /**
   * Notes an attempt handed back to its row, so that it is woken as soon as
   * its endpoint has room; one past the endpoint's bound just waits for its
   * turn.
   */
  remember(endpointId: string, attempt: Postponed): void {
    const list = this.postponed.get(endpointId) ?? [];
    if (list.length >= WAITERS_PER_SLOT * this.limit) return;
    list.push(attempt);
    this.postponed.set(endpointId, list);
    this.wakeIfRoom(endpointId);
  }

  private used(endpointId: string): number {
    return this.inFlight.get(endpointId)?.length ?? 0;
  }

  private take(endpointId: string): Release {
    const startedAt = this.now();
    const starts = this.inFlight.get(endpointId) ?? [];
    // Slots are taken in time order, so the oldest stays first.
    starts.push(startedAt);
    this.inFlight.set(endpointId, starts);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const current = this.inFlight.get(endpointId)!;
      current.splice(current.indexOf(startedAt), 1);
      if (current.length === 0) this.inFlight.delete(endpointId);
      this.handOver(endpointId);
    };
  }

  /** Gives the endpoint's free slots to its waiters, first come first served; with none left, wakes the postponed. */
  private handOver(endpointId: string): void {
    const queue = this.waiters.get(endpointId);
    while (queue && queue.length > 0 && this.used(endpointId) < this.capOf(endpointId)) {
      const waiter = queue.shift()!;
      if (queue.length === 0) this.waiters.delete(endpointId);
      this.waiting--;
      waiter.resolve(this.take(endpointId));
    }
    this.wakeIfRoom(endpointId);
  }

  /** Nobody waits and a slot is free: as many postponed attempts as can be sent or wait come back now. */
  private wakeIfRoom(endpointId: string): void {
    const list = this.postponed.get(endpointId);
    if (!list || this.waiters.has(endpointId)) return;
    const room = this.capOf(endpointId) - this.used(endpointId);
    if (room <= 0) return;
    const woken = list.splice(0, room + this.waitersFor(endpointId));
    if (list.length === 0) this.postponed.delete(endpointId);
    this.onRoom(woken);
  }

  private sendAllAway(): void {
    const queues = [...this.waiters.values()];
    this.waiters.clear();
    this.waiting = 0;
    for (const waiter of queues.flat()) waiter.resolve(undefined);
  }
}
