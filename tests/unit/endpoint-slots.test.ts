import { describe, expect, it } from "vitest";
import { EndpointSlots } from "@/lib/delivery/endpoint-slots";

describe("EndpointSlots", () => {
  it("caps concurrent requests per endpoint and frees a slot once per release", () => {
    const slots = new EndpointSlots(2);
    const first = slots.tryAcquire("ep_a")!;
    expect(slots.tryAcquire("ep_a")).toBeDefined();
    expect(slots.tryAcquire("ep_a")).toBeUndefined();
    expect(slots.tryAcquire("ep_b")).toBeDefined();
    first();
    first();
    expect(slots.tryAcquire("ep_a")).toBeDefined();
    expect(slots.tryAcquire("ep_a")).toBeUndefined();
  });

  it("gives refused jobs successive turns at the endpoint's own pace", () => {
    const slots = new EndpointSlots(10);
    const now = 1_000_000;
    // A hanging endpoint: 2 s per request, 10 slots, so a slot frees every 200 ms.
    slots.observe("ep_hang", 2_000);
    expect([1, 2, 3, 4].map(() => slots.deferFor("ep_hang", now))).toEqual([200, 400, 600, 800]);
    // Turns already handed out stay taken as time passes.
    expect(slots.deferFor("ep_hang", now + 500)).toBe(500);
    // A fast endpoint waits the minimum, not the hanging one's pace.
    slots.observe("ep_fast", 20);
    expect(slots.deferFor("ep_fast", now)).toBe(100);
  });

  it("follows the endpoint's recent request times, and never defers for more than a minute", () => {
    const slots = new EndpointSlots(1);
    slots.observe("ep", 100);
    for (let i = 0; i < 30; i++) slots.observe("ep", 10_000);
    const first = slots.deferFor("ep", 0);
    expect(first).toBeGreaterThan(9_000);
    expect(first).toBeLessThanOrEqual(10_000);
    for (let i = 0; i < 10; i++) slots.deferFor("ep", 0);
    expect(slots.deferFor("ep", 0)).toBe(60_000);
  });

  it("halves an endpoint's cap on each timeout, down to one, and raises it by one per answer", () => {
    const slots = new EndpointSlots(8);
    slots.observe("ep_hang", 2_000, true);
    expect(slots.capOf("ep_hang")).toBe(4);
    for (let i = 0; i < 5; i++) slots.observe("ep_hang", 2_000, true);
    expect(slots.capOf("ep_hang")).toBe(1);
    const only = slots.tryAcquire("ep_hang")!;
    expect(slots.tryAcquire("ep_hang")).toBeUndefined();
    // Its waiting jobs are paced by the one slot it has: 2 s apart.
    expect(slots.deferFor("ep_hang", 0)).toBe(2_000);
    // Other endpoints keep the full cap.
    expect(slots.capOf("ep_other")).toBe(8);
    only();
    // Answers, even slow ones, win the cap back one at a time.
    slots.observe("ep_hang", 1_500);
    expect(slots.capOf("ep_hang")).toBe(2);
    for (let i = 0; i < 20; i++) slots.observe("ep_hang", 1_500);
    expect(slots.capOf("ep_hang")).toBe(8);
  });
});
