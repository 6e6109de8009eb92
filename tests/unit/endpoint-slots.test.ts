import { describe, expect, it } from "vitest";
import { EndpointSlots } from "@/lib/sending/endpoint-slots";

/** A settable clock, in epoch ms. */
function clock(start = 1_000_000) {
  const state = { now: start };
  return { state, now: () => state.now };
}

/** Whether a promise has settled, after pending callbacks have run. */
async function settled<T>(promise: Promise<T>): Promise<{ value: T } | undefined> {
  let result: { value: T } | undefined;
  void promise.then((value) => (result = { value }));
  await new Promise((resolve) => setImmediate(resolve));
  return result;
}

describe("EndpointSlots", () => {
  it("caps concurrent requests per endpoint and frees a slot once per release", () => {
    const slots = new EndpointSlots({ limit: 2, timeoutMs: 3_000, maxWaiting: 100 });
    const first = slots.tryAcquire("ep_a")!;
    expect(slots.tryAcquire("ep_a")).toBeDefined();
    expect(slots.tryAcquire("ep_a")).toBeUndefined();
    expect(slots.tryAcquire("ep_b")).toBeDefined();
    first();
    first();
    expect(slots.tryAcquire("ep_a")).toBeDefined();
    expect(slots.tryAcquire("ep_a")).toBeUndefined();
  });

  it("hands each freed slot to the endpoint's waiters in turn, ahead of newcomers, never above the cap", async () => {
    const slots = new EndpointSlots({ limit: 2, timeoutMs: 3_000, maxWaiting: 100 });
    const a = slots.tryAcquire("ep")!;
    const b = slots.tryAcquire("ep")!;
    const first = slots.wait("ep")!;
    const second = slots.wait("ep")!;
    expect(slots.waitingCount()).toBe(2);
    expect(await settled(first)).toBeUndefined();

    a();
    const handed = (await settled(first))?.value;
    expect(handed).toBeDefined();
    expect(await settled(second)).toBeUndefined();
    // The slot went to the waiter: none is free for an attempt that has not waited.
    expect(slots.tryAcquire("ep")).toBeUndefined();
    b();
    // Still the second waiter's, not a newcomer's.
    expect(slots.tryAcquire("ep")).toBeUndefined();
    expect((await settled(second))?.value).toBeDefined();
    expect(slots.waitingCount()).toBe(0);
    // Releasing a handed-over slot frees it like any other.
    handed!();
    expect(slots.tryAcquire("ep")).toBeDefined();
    expect(slots.tryAcquire("ep")).toBeUndefined();
  });

  it("bounds the waiters of one endpoint (ten per slot of its cap, half of all at most) and of all endpoints", () => {
    const slots = new EndpointSlots({ limit: 1, timeoutMs: 3_000, maxWaiting: 100 });
    slots.tryAcquire("ep_one");
    for (let i = 0; i < 10; i++) expect(slots.wait("ep_one")).toBeDefined();
    expect(slots.wait("ep_one")).toBeUndefined();

    const shared = new EndpointSlots({ limit: 2, timeoutMs: 3_000, maxWaiting: 30 });
    for (const endpoint of ["ep_a", "ep_b", "ep_c"]) {
      shared.tryAcquire(endpoint);
      shared.tryAcquire(endpoint);
    }
    for (let i = 0; i < 15; i++) expect(shared.wait("ep_a")).toBeDefined();
    // Twenty for its cap of two, but one endpoint never takes more than half.
    expect(shared.wait("ep_a")).toBeUndefined();
    for (let i = 0; i < 15; i++) expect(shared.wait("ep_b")).toBeDefined();
    // 30 in all: a third endpoint's attempt finds no room.
    expect(shared.wait("ep_c")).toBeUndefined();
    expect(shared.waitingCount()).toBe(30);
  });

  it("sends the latest waiters back when a timeout halves the cap", async () => {
    const slots = new EndpointSlots({ limit: 4, timeoutMs: 3_000, maxWaiting: 100 });
    for (let i = 0; i < 4; i++) slots.tryAcquire("ep");
    const waiters = Array.from({ length: 40 }, () => slots.wait("ep")!);
    slots.observe("ep", 3_000, true);
    expect(slots.capOf("ep")).toBe(2);
    expect(slots.waitingCount()).toBe(20);
    for (const waiter of waiters.slice(0, 20)) expect(await settled(waiter)).toBeUndefined();
    for (const waiter of waiters.slice(20)) expect(await settled(waiter)).toEqual({ value: undefined });
  });

  it("sends waiters away when the worker stops, and takes none after", async () => {
    const stopping = new AbortController();
    const slots = new EndpointSlots({ limit: 1, timeoutMs: 3_000, maxWaiting: 100, stopping: stopping.signal });
    const only = slots.tryAcquire("ep")!;
    const waiting = [slots.wait("ep")!, slots.wait("ep")!];
    stopping.abort();
    expect(await settled(waiting[0]!)).toEqual({ value: undefined });
    expect(await settled(waiting[1]!)).toEqual({ value: undefined });
    expect(slots.waitingCount()).toBe(0);
    expect(slots.wait("ep")).toBeUndefined();
    // The slot it would have had is free for anyone once released.
    only();
    expect(slots.tryAcquire("ep")).toBeDefined();
  });

  it("defers an attempt that cannot wait until the endpoint's oldest request in flight has timed out", () => {
    const time = clock();
    const slots = new EndpointSlots({ limit: 2, timeoutMs: 3_000, maxWaiting: 100, now: time.now });
    const older = slots.tryAcquire("ep")!;
    time.state.now += 1_000;
    const newer = slots.tryAcquire("ep")!;
    // Past the oldest request's 3 s timeout, whatever the endpoint's past speed.
    expect(slots.deferFor("ep")).toBe(2_100);
    time.state.now += 1_500;
    expect(slots.deferFor("ep")).toBe(600);
    older();
    expect(slots.deferFor("ep")).toBe(1_600);
    newer();
    // Nothing in flight: a slot is free now, come back soon.
    expect(slots.deferFor("ep")).toBe(100);
    // A new endpoint assumes nothing about its speed either.
    expect(slots.deferFor("ep_new")).toBe(100);
  });

  it("halves an endpoint's cap on each timeout, down to one, and raises it by one per answer", async () => {
    const slots = new EndpointSlots({ limit: 8, timeoutMs: 3_000, maxWaiting: 100 });
    slots.observe("ep_hang", 3_000, true);
    expect(slots.capOf("ep_hang")).toBe(4);
    for (let i = 0; i < 5; i++) slots.observe("ep_hang", 3_000, true);
    expect(slots.capOf("ep_hang")).toBe(1);
    const only = slots.tryAcquire("ep_hang")!;
    expect(slots.tryAcquire("ep_hang")).toBeUndefined();
    const waiters = [slots.wait("ep_hang")!, slots.wait("ep_hang")!];
    // Other endpoints keep the full cap.
    expect(slots.capOf("ep_other")).toBe(8);
    // An answer raises the cap, and the slot it adds goes to a waiter at once.
    slots.observe("ep_hang", 1_500);
    expect(slots.capOf("ep_hang")).toBe(2);
    expect(await settled(waiters[0]!)).toBeDefined();
    expect(await settled(waiters[1]!)).toBeUndefined();
    only();
    expect(await settled(waiters[1]!)).toBeDefined();
    for (let i = 0; i < 20; i++) slots.observe("ep_hang", 1_500);
    expect(slots.capOf("ep_hang")).toBe(8);
  });

  it("wakes postponed attempts as soon as the endpoint has a free slot and nobody waiting", async () => {
    const woken: string[][] = [];
    const slots = new EndpointSlots({
      limit: 1,
      timeoutMs: 3_000,
      maxWaiting: 100,
      onRoom: (postponed) => woken.push(postponed.map((item) => item.deliveryId)),
    });
    const only = slots.tryAcquire("ep")!;
    const waiter = slots.wait("ep")!;
    for (let i = 0; i < 15; i++) slots.remember("ep", { deliveryId: `d${i}`, attempt: 1 });
    expect(woken).toEqual([]);
    // The freed slot goes to the waiter first: still no room.
    only();
    expect(woken).toEqual([]);
    (await settled(waiter))!.value!();
    // Ten per slot are remembered (the rest come back at their turn); one slot and ten places in the queue take them all.
    expect(woken).toEqual([Array.from({ length: 10 }, (_, i) => `d${i}`)]);
    // An endpoint with room wakes one at once.
    slots.remember("ep_idle", { deliveryId: "d_idle", attempt: 2 });
    expect(woken.at(-1)).toEqual(["d_idle"]);
  });
});
