import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fallbackKey } from "../src/index.js";

const body = '{"order":42,"status":"paid"}';
const sha256 = createHash("sha256").update(body).digest("hex");

describe("fallbackKey", () => {
  it("is the SHA-256 of the raw body, whatever form the bytes come in", () => {
    expect(fallbackKey(body)).toBe(`sha256:${sha256}`);
    expect(fallbackKey(Buffer.from(body))).toBe(`sha256:${sha256}`);
    expect(fallbackKey(new TextEncoder().encode(body).buffer)).toBe(`sha256:${sha256}`);
  });

  it("changes when the same event is serialized differently", () => {
    expect(fallbackKey('{"status":"paid","order":42}')).not.toBe(fallbackKey(body));
  });

  it("puts timestamps in the same bucket together and splits them at a boundary", () => {
    const at = (iso: string) => ({ timestamp: new Date(iso), roundTo: 60 });
    expect(fallbackKey(body, at("2026-01-01T10:00:01Z"))).toBe(
      `sha256:${sha256}:${Date.parse("2026-01-01T10:00:00Z") / 1000}`,
    );
    expect(fallbackKey(body, at("2026-01-01T10:00:59Z"))).toBe(fallbackKey(body, at("2026-01-01T10:00:00Z")));
    // One second apart, two keys: the trade-off of rounding.
    expect(fallbackKey(body, at("2026-01-01T10:01:00Z"))).not.toBe(fallbackKey(body, at("2026-01-01T10:00:59Z")));
  });

  it("rounds to 60 seconds unless told otherwise", () => {
    const timestamp = new Date("2026-01-01T10:00:59Z");
    expect(fallbackKey(body, { timestamp })).toBe(fallbackKey(body, { timestamp: new Date("2026-01-01T10:00:00Z") }));
    expect(fallbackKey(body, { timestamp, roundTo: 1 })).not.toBe(fallbackKey(body, { timestamp }));
  });

  it.each([0, -60, 1.5])("refuses roundTo %s", (roundTo) => {
    expect(() => fallbackKey(body, { timestamp: new Date(), roundTo })).toThrow(RangeError);
  });
});
