import ms from "ms";
import { describe, expect, it } from "vitest";
import {
  defaultSchedule,
  explicitSchedule,
  jitter,
  nextAttemptAt,
  parseRetryAfter,
  RETRY_AFTER_MAX,
} from "@/lib/deliveries/retry-schedule";

const start = new Date("2026-01-01T00:00:00Z");
const middle = () => 0.5;

describe("default schedule", () => {
  const schedule = defaultSchedule();

  it("waits 10 s, 30 s, 1 m, 2 m, then doubles up to 12 h", () => {
    const delays = Array.from({ length: 14 }, (_, i) => schedule.baseDelay(i + 1));
    expect(delays.slice(0, 7)).toEqual([ms("10s"), ms("30s"), ms("1m"), ms("2m"), ms("4m"), ms("8m"), ms("16m")]);
    expect(delays.at(-1)).toBe(ms("12h"));
    expect(Math.max(...(delays as number[]))).toBe(ms("12h"));
  });

  it("stops once the next attempt would fall more than 3 days after the first", () => {
    let now = start;
    let failures = 0;
    let next: Date | undefined = start;
    while (next) {
      now = next;
      failures++;
      next = nextAttemptAt({ schedule, failures, firstAttemptAt: start, now, random: middle });
    }
    expect(now.getTime() - start.getTime()).toBeLessThanOrEqual(ms("3d"));
    expect(now.getTime() + ms("12h") - start.getTime()).toBeGreaterThan(ms("3d"));
    expect(failures).toBeGreaterThan(10);
  });
});

describe("jitter", () => {
  it("stays within +-20% and reaches both ends", () => {
    expect(jitter(10_000, () => 0)).toBe(8_000);
    expect(jitter(10_000, () => 1)).toBe(12_000);
    for (let i = 0; i < 1000; i++) {
      const value = jitter(10_000);
      expect(value).toBeGreaterThanOrEqual(8_000);
      expect(value).toBeLessThanOrEqual(12_000);
    }
  });
});

describe("explicit schedule", () => {
  it("replaces the default and ends after its last wait", () => {
    const schedule = explicitSchedule([ms("1s"), ms("2s")]);
    const at = (failures: number) =>
      nextAttemptAt({ schedule, failures, firstAttemptAt: start, now: start, random: middle });
    expect(at(1)?.getTime()).toBe(start.getTime() + 1000);
    expect(at(2)?.getTime()).toBe(start.getTime() + 2000);
    expect(at(3)).toBeUndefined();
  });
});

describe("Retry-After", () => {
  it("parses seconds and HTTP dates", () => {
    expect(parseRetryAfter("120", start)).toBe(120_000);
    expect(parseRetryAfter(new Date(start.getTime() + 5000).toUTCString(), start)).toBe(5000);
    expect(parseRetryAfter("soon", start)).toBeUndefined();
    expect(parseRetryAfter(undefined, start)).toBeUndefined();
  });

  it("is honoured instead of the schedule, clamped to at most an hour", () => {
    const schedule = defaultSchedule();
    const honoured = nextAttemptAt({ schedule, failures: 1, firstAttemptAt: start, now: start, retryAfter: 45_000 });
    expect(honoured?.getTime()).toBe(start.getTime() + 45_000);
    const clamped = nextAttemptAt({ schedule, failures: 1, firstAttemptAt: start, now: start, retryAfter: ms("2d") });
    expect(clamped?.getTime()).toBe(start.getTime() + RETRY_AFTER_MAX);
  });
});

describe("overload penalty", () => {
  it("waits at least the minimum after a timeout or 429, even when the schedule is shorter", () => {
    const schedule = explicitSchedule([ms("1s")]);
    const at = nextAttemptAt({ schedule, failures: 1, firstAttemptAt: start, now: start, minDelay: ms("30s") });
    expect(at?.getTime()).toBe(start.getTime() + ms("30s"));
    const honoured = nextAttemptAt({
      schedule,
      failures: 1,
      firstAttemptAt: start,
      now: start,
      retryAfter: 5_000,
      minDelay: ms("30s"),
    });
    expect(honoured?.getTime()).toBe(start.getTime() + ms("30s"));
  });
});
