// An endpoint that fails every attempt is probed, not flooded. Sending a
// dead endpoint each delivery on its schedule costs as much as sending a
// healthy one, and more as its retries pile up; a consumer coming back up
// meets the whole backlog at once.
//
// After `threshold` sent attempts in a row have failed (in this worker
// process), the endpoint's breaker opens: an attempt due for it is not sent
// but recorded as failed with the error "endpoint_failing", and moves along
// its retry schedule as a failed attempt would, so that nothing waits
// outside the schedule and a long outage costs no more than its schedule.
// One attempt is let through as a probe after PROBE_AFTER_MS, then after
// twice as long each time, up to PROBE_MAX_MS; the first 2xx closes the
// breaker. A manual retry or a test event is always sent, so it probes too.
import { LRUCache } from "lru-cache";

/** Wait before the first probe of an open breaker; doubled after each probe. */
export const PROBE_AFTER_MS = 5_000;
/** The longest wait between probes: a recovered endpoint is found within this. */
export const PROBE_MAX_MS = 60_000;

interface Open {
  /** When the next probe may go. */
  probeAt: number;
  /** The wait after that probe, if it fails too. */
  nextWaitMs: number;
}

export type BreakerVerdict = "send" | "probe" | "hold";

export class EndpointBreaker {
  /** Failed sends in a row, per endpoint; an endpoint not listed has none. */
  private readonly failures = new LRUCache<string, number>({ max: 10_000 });
  private readonly open = new LRUCache<string, Open>({ max: 10_000 });

  /** `threshold` 0 keeps every breaker closed. */
  constructor(private readonly threshold: number) {}

  /** Whether an attempt to the endpoint goes out now: sent, sent as the breaker's probe, or held (not sent). */
  admit(endpointId: string, now = Date.now()): BreakerVerdict {
    const state = this.open.get(endpointId);
    if (!state) return "send";
    if (now < state.probeAt) return "hold";
    this.open.set(endpointId, {
      probeAt: now + state.nextWaitMs,
      nextWaitMs: Math.min(PROBE_MAX_MS, state.nextWaitMs * 2),
    });
    return "probe";
  }

  /** Records how a sent attempt ended; says so when that opened or closed the breaker. */
  observe(endpointId: string, succeeded: boolean, now = Date.now()): "opened" | "closed" | undefined {
    if (succeeded) {
      this.failures.delete(endpointId);
      return this.open.delete(endpointId) ? "closed" : undefined;
    }
    const failures = (this.failures.get(endpointId) ?? 0) + 1;
    this.failures.set(endpointId, failures);
    if (this.threshold === 0 || failures < this.threshold || this.open.has(endpointId)) return undefined;
    this.open.set(endpointId, { probeAt: now + PROBE_AFTER_MS, nextWaitMs: PROBE_AFTER_MS * 2 });
    return "opened";
  }

  /** Why an attempt was held, for its attempt log entry. */
  holdDetail(endpointId: string, now = Date.now()): string {
    const probeAt = this.open.get(endpointId)?.probeAt ?? now;
    return (
      `not sent: the endpoint failed its last ${this.threshold} attempts or more; ` +
      `it is probed again in ${Math.max(0, Math.ceil((probeAt - now) / 1000))} s, and sent to again once it answers 2xx`
    );
  }
}
