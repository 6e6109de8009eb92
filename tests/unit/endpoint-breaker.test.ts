import { describe, expect, it } from "vitest";
import { breakerVerdict, summarize } from "@/lib/sending/endpoint-breaker";

describe("breakerVerdict", () => {
  const now = new Date("2026-12-05T12:00:00Z");

  it("sends while the breaker is closed, whatever the count", () => {
    expect(breakerVerdict({ breakerFailures: 0, probeAt: null }, now)).toBe("send");
    expect(breakerVerdict({ breakerFailures: 9, probeAt: null }, now)).toBe("send");
  });

  it("holds until the probe is due, then asks for the probe to be claimed", () => {
    const probeAt = new Date(now.getTime() + 1);
    expect(breakerVerdict({ breakerFailures: 10, probeAt }, now)).toBe("hold");
    expect(breakerVerdict({ breakerFailures: 10, probeAt: now }, now)).toBe("probe");
  });
});

describe("summarize", () => {
  const fail = (endpointId: string) => ({ endpointId, succeeded: false });
  const pass = (endpointId: string) => ({ endpointId, succeeded: true });

  it("counts failures per endpoint", () => {
    expect(summarize([fail("a"), fail("b"), fail("a")])).toEqual([
      { endpointId: "a", succeeded: false, failuresAfter: 2 },
      { endpointId: "b", succeeded: false, failuresAfter: 1 },
    ]);
  });

  it("counts only the failures after the last 2xx, as if recorded one by one", () => {
    expect(summarize([fail("a"), fail("a"), pass("a"), fail("a")])).toEqual([
      { endpointId: "a", succeeded: true, failuresAfter: 1 },
    ]);
    expect(summarize([fail("a"), pass("a")])).toEqual([{ endpointId: "a", succeeded: true, failuresAfter: 0 }]);
  });
});
