import ms from "ms";
import { describe, expect, it } from "vitest";
import {
  admitScheduled,
  decideAttempt,
  decideHeld,
  EXPIRED_WHILE_HELD,
  type AttemptFacts,
  type OutcomeRules,
} from "@/lib/deliveries/attempt-outcome";
import { explicitSchedule } from "@/lib/deliveries/retry-schedule";
import type { ExchangeResult } from "@/lib/sending/http-client";

const start = new Date("2026-12-05T12:00:00Z");
const later = (delay: number) => new Date(start.getTime() + delay);

const rules: OutcomeRules = {
  schedule: explicitSchedule([ms("10s"), ms("1m")]),
  config: { OVERLOAD_MIN_DELAY: ms("30s"), ENDPOINT_DISABLE_AFTER: ms("5d") },
  // No jitter: the schedule's waits as they are.
  random: () => 0.5,
};

function facts(
  result: Partial<ExchangeResult>,
  options: { trigger?: "scheduled" | "manual"; attemptNumber?: number; failingSince?: Date | null } = {},
): AttemptFacts {
  return {
    trigger: options.trigger ?? "scheduled",
    attemptNumber: options.trigger === "manual" ? undefined : (options.attemptNumber ?? 1),
    delivery: { attemptCount: 2, firstAttemptAt: start, endpoint: { failingSince: options.failingSince ?? null } },
    result: { durationMs: 5, ...result },
    startedAt: start,
    finishedAt: later(100),
  };
}

describe("a scheduled attempt", () => {
  it("settles its delivery on a 2xx and ends the endpoint's failure streak", () => {
    const decision = decideAttempt(facts({ statusCode: 204 }, { failingSince: later(-ms("1h")) }), rules);
    expect(decision).toMatchObject({
      succeeded: true,
      outcome: "succeeded",
      move: { status: "succeeded", next: null },
      failingSince: null,
    });
    expect(decision.disable).toBeUndefined();
    expect(decision.exhaustion).toBeUndefined();
  });

  it("retries a failure at its schedule's next step and starts the endpoint's failure streak", () => {
    const decision = decideAttempt(facts({ statusCode: 500 }), rules);
    expect(decision).toMatchObject({ succeeded: false, outcome: "retry", failingSince: start });
    expect(decision.next).toEqual(later(100 + ms("10s")));
    expect(decision.move).toEqual({ status: "pending", next: decision.next });
    expect(decision.exhaustion).toBeUndefined();
  });

  it("keeps a streak that runs already", () => {
    const since = later(-ms("1h"));
    expect(decideAttempt(facts({ error: "timeout" }, { failingSince: since }), rules).failingSince).toEqual(since);
  });

  it("honours Retry-After on 429 and 503 but not on other failures", () => {
    expect(decideAttempt(facts({ statusCode: 503, retryAfterHeader: "120" }), rules).next).toEqual(
      later(100 + ms("2m")),
    );
    expect(decideAttempt(facts({ statusCode: 429, retryAfterHeader: "120" }), rules).next).toEqual(
      later(100 + ms("2m")),
    );
    expect(decideAttempt(facts({ statusCode: 500, retryAfterHeader: "120" }), rules).next).toEqual(
      later(100 + ms("10s")),
    );
  });

  it("gives an overloaded endpoint at least OVERLOAD_MIN_DELAY", () => {
    expect(decideAttempt(facts({ statusCode: 429 }), rules).next).toEqual(later(100 + ms("30s")));
    expect(decideAttempt(facts({ error: "timeout" }), rules).next).toEqual(later(100 + ms("30s")));
    expect(decideAttempt(facts({ error: "connection_refused" }), rules).next).toEqual(later(100 + ms("10s")));
  });

  it("fails its delivery at the schedule's last step, and reports it exhausted", () => {
    const decision = decideAttempt(facts({ statusCode: 500 }, { attemptNumber: 3 }), rules);
    expect(decision).toMatchObject({
      outcome: "failed",
      move: { status: "failed", next: null },
      exhaustion: { attempts: 3, lastStatus: "5xx" },
    });
    expect(decision.next).toBeUndefined();
  });

  it("fails its delivery and disables the endpoint on 410, without an exhaustion", () => {
    const decision = decideAttempt(facts({ statusCode: 410 }), rules);
    expect(decision).toMatchObject({
      outcome: "failed",
      move: { status: "failed", next: null },
      disable: { reason: "endpoint answered 410 Gone", cause: "gone" },
    });
    expect(decision.exhaustion).toBeUndefined();
  });

  it("disables the endpoint once its failure streak has lasted ENDPOINT_DISABLE_AFTER", () => {
    const since = later(-ms("5d"));
    expect(decideAttempt(facts({ statusCode: 502 }, { failingSince: since }), rules)).toMatchObject({
      outcome: "retry",
      disable: { reason: `failing since ${since.toISOString()} (last error: 5xx)`, cause: "failing" },
    });
    expect(
      decideAttempt(facts({ statusCode: 502 }, { failingSince: later(-ms("5d") + 1) }), rules).disable,
    ).toBeUndefined();
    expect(decideAttempt(facts({ statusCode: 200 }, { failingSince: since }), rules).disable).toBeUndefined();
  });
});

describe("a manual attempt", () => {
  it("settles its delivery on a 2xx", () => {
    expect(decideAttempt(facts({ statusCode: 200 }, { trigger: "manual" }), rules)).toMatchObject({
      outcome: "succeeded",
      move: { status: "succeeded", next: null },
      failingSince: null,
    });
  });

  it("leaves its delivery and its schedule as they are on a failure, but counts towards the streak", () => {
    const decision = decideAttempt(facts({ statusCode: 500 }, { trigger: "manual" }), rules);
    expect(decision).toMatchObject({ outcome: "failed", failingSince: start });
    expect(decision.move).toBeUndefined();
    expect(decision.next).toBeUndefined();
    expect(decision.exhaustion).toBeUndefined();
  });

  it("disables an endpoint that answers 410", () => {
    expect(decideAttempt(facts({ statusCode: 410 }, { trigger: "manual" }), rules).disable?.cause).toBe("gone");
  });
});

describe("admitScheduled", () => {
  const delivery = (status: "pending" | "succeeded", scheduledAttempts: number, disabled = false) => ({
    status,
    scheduledAttempts,
    endpoint: { disabled },
  });

  it("sends the attempt its row still waits for", () => {
    expect(admitScheduled(delivery("pending", 1), 2)).toBe("send");
  });

  it("skips a settled delivery or a step already taken", () => {
    expect(admitScheduled(delivery("succeeded", 1), 2)).toBe("not due");
    expect(admitScheduled(delivery("pending", 2), 2)).toBe("not due");
  });

  it("fails a due delivery whose endpoint is disabled", () => {
    expect(admitScheduled(delivery("pending", 0, true), 1)).toBe("endpoint disabled");
  });
});

describe("decideHeld", () => {
  const deadline = ms("3d");

  it("holds a delivery until its deadline, counted from its first attempt", () => {
    const delivery = { firstAttemptAt: start, createdAt: later(-ms("1d")), attemptCount: 4 };
    expect(decideHeld(delivery, later(ms("1d")), deadline)).toEqual({ held: true, until: later(deadline) });
  });

  it("counts from its creation when it was never sent", () => {
    const delivery = { firstAttemptAt: null, createdAt: start, attemptCount: 0 };
    expect(decideHeld(delivery, later(ms("1h")), deadline)).toEqual({ held: true, until: later(deadline) });
  });

  it("expires it at its deadline, and reports it exhausted", () => {
    const delivery = { firstAttemptAt: start, createdAt: start, attemptCount: 4 };
    expect(decideHeld(delivery, later(deadline), deadline)).toEqual({
      held: false,
      deadline: later(deadline),
      failureReason: EXPIRED_WHILE_HELD,
      exhaustion: { attempts: 4, lastStatus: EXPIRED_WHILE_HELD },
    });
  });
});
