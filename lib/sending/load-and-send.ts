// Loads a delivery and sends it once the worker and its endpoint have room:
// the part of an attempt that is the same whoever asked for it.
import { getMetrics } from "../platform/metrics";
import type { Trigger } from "../deliveries/attempt-outcome";
import type { LoadedDelivery } from "../deliveries/attempt-store";
import { acquireSending, deferForCap, WaitForSlot, type SlotDeps } from "./acquire-sending";
import { clock, Deferred, type AttemptDeps, type Outcome } from "./attempt-deps";
import type { Release } from "./endpoint-slots";
import { exchange, type ExchangeDeps, type Exchanged } from "./exchange";

export type SendDeps = ExchangeDeps &
  SlotDeps &
  Pick<AttemptDeps, "sending" | "stopping" | "now"> & { store: Pick<AttemptDeps["store"], "load"> };

/** A scheduled attempt the endpoint's breaker held back: not sent, and nothing recorded of it. */
export class Held {
  constructor(readonly delivery: LoadedDelivery) {}
}

/** An attempt made: what was loaded, sent and answered. */
export interface Sent extends Exchanged {
  delivery: LoadedDelivery;
  startedAt: Date;
}

/** Whether a loaded delivery is to be sent: undefined if so, else the outcome that ends its job without a request. */
export type Admission = (delivery: LoadedDelivery | undefined) => Outcome | undefined | Promise<Outcome | undefined>;

export interface SendOptions {
  /** The schedule step of a scheduled attempt; the first one's latency is measured. */
  attempt?: number;
  /** A delivery whose slot comes after the worker began to stop is "left". */
  leaveOnStop?: boolean;
  /** Someone is waiting to see it: sent even to an endpoint that is only being probed. */
  asked?: boolean;
}

export const isSent = (value: Outcome | Sent | Held): value is Sent =>
  typeof value === "object" && !(value instanceof Deferred) && !(value instanceof Held);

/**
 * loadAndSendOnce, and again with the slot handed over if the endpoint's
 * cap made it wait. The wait holds no sending slot, and the delivery is
 * loaded again after it: it may have been settled meanwhile. A wait the
 * worker's stopping ends hands the attempt back to its row or job.
 */
export async function loadAndSend(
  deps: SendDeps,
  deliveryId: string,
  trigger: Trigger,
  admit: Admission,
  options: SendOptions = {},
): Promise<Outcome | Sent | Held> {
  let reserved: Release | undefined;
  for (;;) {
    const handed = reserved;
    // A slot handed over but not used (the attempt was no longer due, or the worker stopped) goes to the next waiter.
    const step = await loadAndSendOnce(deps, deliveryId, trigger, admit, { ...options, reserved }).finally(() =>
      handed?.(),
    );
    if (!(step instanceof WaitForSlot)) return step;
    const waiting = getMetrics().attemptsWaiting;
    waiting.inc();
    reserved = await step.slot.finally(() => waiting.dec());
    if (!reserved) return deferForCap(deps, step.endpointId);
  }
}

/**
 * Loads the delivery and sends it, once a worker slot and then an endpoint
 * slot are free. Loading inside the worker slot means a process holds no
 * more loaded deliveries (payloads of up to 256 KiB) than it has requests
 * in flight, however many a first-attempts job names. The endpoint slot is
 * taken last, so it is held only while sending (a refused one is waited for
 * outside, in loadAndSend, and comes `reserved`). A scheduled attempt the
 * endpoint's breaker holds back is not sent but Held, unless someone
 * `asked` for it. With `leaveOnStop`, a delivery whose slot comes
 * after the worker began to stop is "left".
 */
async function loadAndSendOnce(
  deps: SendDeps,
  deliveryId: string,
  trigger: Trigger,
  admit: Admission,
  options: SendOptions & { reserved?: Release },
): Promise<Outcome | Sent | WaitForSlot | Held> {
  return deps.sending(async () => {
    if (options.leaveOnStop && deps.stopping?.aborted) return "left";
    const delivery = await deps.store.load(deliveryId);
    const refused = await admit(delivery);
    if (refused !== undefined || !delivery) return refused ?? "skipped";
    // A manual retry or a test event is always sent: someone is waiting to
    // see it, and it probes the endpoint as well.
    const asked = trigger === "manual" || options.asked === true;
    if (!asked && (await deps.breaker.admit(delivery.endpointId, delivery.endpoint)) === "hold") {
      return new Held(delivery);
    }
    const release = await acquireSending(deps, delivery, options.reserved);
    if (release instanceof Deferred || release instanceof WaitForSlot) return release;
    const startedAt = clock(deps);
    if (options.attempt === 1) {
      getMetrics().firstAttemptLatency.observe((startedAt.getTime() - delivery.event.createdAt.getTime()) / 1000);
    }
    const exchanged = await exchange(deps, delivery, startedAt, trigger).finally(release);
    return { delivery, startedAt, ...exchanged };
  });
}
