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
});
