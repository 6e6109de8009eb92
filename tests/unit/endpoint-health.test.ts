import { describe, expect, it } from "vitest";
import { endpointWarning, failureClass } from "@/lib/endpoints/health";

describe("failureClass", () => {
  it.each([
    [{ responseStatusCode: 200, error: null }, undefined],
    [{ responseStatusCode: 302, error: null }, "redirect"],
    [{ responseStatusCode: 404, error: null }, "4xx"],
    [{ responseStatusCode: 503, error: null }, "5xx"],
    [{ responseStatusCode: null, error: "dns" }, "DNS"],
    [{ responseStatusCode: null, error: "tls" }, "TLS"],
    [{ responseStatusCode: null, error: "timeout" }, "timeout"],
    [{ responseStatusCode: null, error: "connection_refused" }, "refused"],
    [{ responseStatusCode: null, error: "forbidden_destination" }, "blocked"],
    [{ responseStatusCode: null, error: "endpoint_failing" }, "probing"],
  ])("%o is %s", (attempt, expected) => {
    expect(failureClass(attempt)).toBe(expected);
  });
});

describe("endpointWarning", () => {
  const since = new Date("2026-01-01T00:00:00Z");
  const fiveDays = 5 * 24 * 3600 * 1000;

  it("counts down to the disable time of a failing endpoint", () => {
    const warning = endpointWarning(
      { disabled: false, failingSince: since },
      { responseStatusCode: null, error: "timeout" },
      fiveDays,
    );
    expect(warning).toEqual({
      failingSince: since,
      disablesAt: new Date("2026-01-06T00:00:00Z"),
      failureClass: "timeout",
    });
  });

  it("says nothing for a healthy or already disabled endpoint", () => {
    expect(endpointWarning({ disabled: false, failingSince: null }, undefined, fiveDays)).toBeUndefined();
    expect(endpointWarning({ disabled: true, failingSince: since }, undefined, fiveDays)).toBeUndefined();
  });
});
