// The per-endpoint rate limit against a real Redis, with two limiters on
// their own connections standing in for two worker processes.
import { Redis } from "ioredis";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EndpointRateLimiter } from "../../lib/sending/rate-limiter";
import { REDIS_URL, uniqueName } from "../support/services";

let connections: Redis[];
let workerA: EndpointRateLimiter;
let workerB: EndpointRateLimiter;

beforeAll(() => {
  connections = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
  const prefix = uniqueName("rate");
  workerA = new EndpointRateLimiter(connections[0]!, () => prefix);
  workerB = new EndpointRateLimiter(connections[1]!, () => prefix);
});
afterAll(() => connections?.forEach((connection) => connection.disconnect()));

describe("EndpointRateLimiter", () => {
  it("spaces an endpoint's sends 1/limit apart across workers and says how long to wait", async () => {
    expect(await workerA.take("ep_spaced", 4)).toBe(0);
    const wait = await workerB.take("ep_spaced", 4);
    expect(wait).toBeGreaterThan(200);
    expect(wait).toBeLessThanOrEqual(250);
    // A refused take does not use up the slot it was refused.
    expect(await workerA.take("ep_spaced", 4)).toBeGreaterThan(200);
    await sleep(wait);
    expect(await workerB.take("ep_spaced", 4)).toBe(0);
  });

  it("never lets more than the limit through in any one-second span", async () => {
    const granted: number[] = [];
    const until = Date.now() + 1_600;
    while (Date.now() < until) {
      const [a, b] = await Promise.all([workerA.take("ep_busy", 3), workerB.take("ep_busy", 3)]);
      if (a === 0) granted.push(Date.now());
      if (b === 0) granted.push(Date.now());
      await sleep(5);
    }
    // 3 per second over 1.6 s: one at the start, then one every 333 ms.
    expect(granted.length).toBeGreaterThanOrEqual(4);
    expect(granted.length).toBeLessThanOrEqual(5);
    const spans = granted.slice(3).map((at, i) => at - granted[i]!);
    expect(Math.min(...spans)).toBeGreaterThan(950);
  });

  it("keeps each endpoint's limit to itself", async () => {
    expect(await workerA.take("ep_one", 1)).toBe(0);
    expect(await workerA.take("ep_one", 1)).toBeGreaterThan(0);
    expect(await workerB.take("ep_two", 1)).toBe(0);
  });
});
