// With tracing export off (no provider registered, as here), a producer's
// W3C trace context is still stored and passed on unchanged; anything but
// a valid traceparent is ignored.
import { describe, expect, it } from "vitest";
import { inSendSpan, traceToStore } from "../../lib/platform/tracing";

const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

describe("traceToStore", () => {
  it("keeps a valid traceparent and its tracestate", () => {
    expect(traceToStore({ traceparent: TRACEPARENT, tracestate: "vendor=abc" })).toEqual({
      traceparent: TRACEPARENT,
      tracestate: "vendor=abc",
    });
    expect(traceToStore({ traceparent: TRACEPARENT, tracestate: null })).toEqual({ traceparent: TRACEPARENT });
  });

  it("ignores an absent, malformed or all-zero traceparent", () => {
    for (const traceparent of [
      undefined,
      null,
      "",
      "00-not-a-trace-01",
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
    ]) {
      expect(traceToStore({ traceparent, tracestate: "vendor=abc" })).toBeUndefined();
    }
  });
});

describe("inSendSpan", () => {
  it("passes the stored context on as it came, with its trace id for the attempt log", async () => {
    const seen = await inSendSpan(
      { traceparent: TRACEPARENT, tracestate: "vendor=abc" },
      {},
      (_span, propagated, traceId) => Promise.resolve({ propagated, traceId }),
    );
    expect(seen).toEqual({
      propagated: { traceparent: TRACEPARENT, tracestate: "vendor=abc" },
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    });
  });

  it("adds no header, and keeps no trace id, for an event without a stored trace", async () => {
    const seen = await inSendSpan(undefined, {}, (_span, propagated, traceId) =>
      Promise.resolve({ propagated, traceId }),
    );
    expect(seen).toEqual({ propagated: {}, traceId: undefined });
  });
});
