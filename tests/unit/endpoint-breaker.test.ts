import { describe, expect, it } from "vitest";
import { EndpointBreaker, PROBE_AFTER_MS, PROBE_MAX_MS } from "@/lib/delivery/endpoint-breaker";

const failTimes = (breaker: EndpointBreaker, endpointId: string, times: number, now: number) => {
  for (let i = 0; i < times; i++) breaker.observe(endpointId, false, now);
};

describe("EndpointBreaker", () => {
  const now = 1_000_000;

  it("sends until the threshold of failures in a row, then holds all but the probes", () => {
    const breaker = new EndpointBreaker(3);
    failTimes(breaker, "ep_a", 2, now);
    expect(breaker.admit("ep_a", now)).toBe("send");
    breaker.observe("ep_a", false, now);
    expect(breaker.admit("ep_a", now)).toBe("hold");
    expect(breaker.admit("ep_a", now + PROBE_AFTER_MS - 1)).toBe("hold");
    // Other endpoints are not concerned.
    expect(breaker.admit("ep_b", now)).toBe("send");
    // One probe when its time comes, then held again until the next.
    expect(breaker.admit("ep_a", now + PROBE_AFTER_MS)).toBe("probe");
    expect(breaker.admit("ep_a", now + PROBE_AFTER_MS)).toBe("hold");
  });

  it("waits twice as long before each probe, up to the longest wait", () => {
    const breaker = new EndpointBreaker(1);
    breaker.observe("ep_a", false, now);
    let at = now;
    const waits: number[] = [];
    for (let probe = 0; probe < 6; probe++) {
      let next = at + 1;
      while (breaker.admit("ep_a", next) !== "probe") next += 1_000;
      waits.push(Math.round((next - at) / 1_000) * 1_000);
      breaker.observe("ep_a", false, next);
      at = next;
    }
    expect(waits).toEqual([PROBE_AFTER_MS, 10_000, 20_000, 40_000, PROBE_MAX_MS, PROBE_MAX_MS]);
  });

  it("closes on a success, and a success before the threshold starts the count again", () => {
    const breaker = new EndpointBreaker(3);
    failTimes(breaker, "ep_a", 2, now);
    // Opening and closing are reported once each, to be logged.
    expect(breaker.observe("ep_a", false, now)).toBe("opened");
    expect(breaker.observe("ep_a", false, now)).toBeUndefined();
    expect(breaker.admit("ep_a", now + PROBE_AFTER_MS)).toBe("probe");
    expect(breaker.observe("ep_a", true, now + PROBE_AFTER_MS)).toBe("closed");
    expect(breaker.admit("ep_a", now + PROBE_AFTER_MS)).toBe("send");

    failTimes(breaker, "ep_a", 2, now);
    expect(breaker.observe("ep_a", true, now)).toBeUndefined();
    failTimes(breaker, "ep_a", 2, now);
    expect(breaker.admit("ep_a", now)).toBe("send");
  });

  it("never opens with a threshold of 0", () => {
    const breaker = new EndpointBreaker(0);
    failTimes(breaker, "ep_a", 1_000, now);
    expect(breaker.admit("ep_a", now)).toBe("send");
  });

  it("says why an attempt was held and when the next probe goes", () => {
    const breaker = new EndpointBreaker(10);
    failTimes(breaker, "ep_a", 10, now);
    expect(breaker.holdDetail("ep_a", now + 1_000)).toBe(
      "not sent: the endpoint failed its last 10 attempts or more; it is probed again in 4 s, and sent to again once it answers 2xx",
    );
  });
});
