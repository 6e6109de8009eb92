import { describe, expect, it } from "vitest";
import { bucketMinutesFor, mergeBuckets, successRate } from "../../lib/dashboard/chart-buckets";

const minute = (iso: string, succeeded: number, failed: number) => ({ start: iso, succeeded, failed });

describe("chart buckets", () => {
  it("chooses the smallest round size that fits the window in the bars", () => {
    expect(bucketMinutesFor(30)).toBe(1);
    expect(bucketMinutesFor(60)).toBe(2);
    expect(bucketMinutesFor(6 * 60)).toBe(10);
    expect(bucketMinutesFor(24 * 60)).toBe(30);
    expect(bucketMinutesFor(24 * 60, 24)).toBe(60);
    expect(bucketMinutesFor(30 * 24 * 60)).toBe(1440);
    expect(() => bucketMinutesFor(0)).toThrow(RangeError);
  });

  it("sums minutes into clock-aligned buckets, in time order, keeping quiet ones", () => {
    const merged = mergeBuckets(
      [
        minute("2026-12-05T10:08:00.000Z", 1, 0),
        minute("2026-12-05T10:09:00.000Z", 2, 1),
        minute("2026-12-05T10:10:00.000Z", 0, 0),
        minute("2026-12-05T10:19:00.000Z", 4, 2),
        minute("2026-12-05T10:20:00.000Z", 0, 3),
      ],
      10,
    );
    expect(merged).toEqual([
      minute("2026-12-05T10:00:00.000Z", 3, 1),
      minute("2026-12-05T10:10:00.000Z", 4, 2),
      minute("2026-12-05T10:20:00.000Z", 0, 3),
    ]);
  });

  it("gives a bucket's success rate, and none without attempts", () => {
    expect(successRate(minute("2026-12-05T10:00:00.000Z", 3, 1))).toBe(0.75);
    expect(successRate(minute("2026-12-05T10:00:00.000Z", 0, 0))).toBeNull();
  });
});
