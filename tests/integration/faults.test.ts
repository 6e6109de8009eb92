// Fault injection: each fault is injected into real processes, then every
// accepted event must end delivered as the schedule says, under one webhook-id.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestEvent } from "@/lib/events";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { answer, startReceiver, type TestReceiver } from "../support/receiver";
import { privatePostgres, type PrivatePostgres } from "../support/private-postgres";
import { privateRedis, redisCommand, type PrivateRedis } from "../support/redis-server";
import { waitFor } from "../support/services";

let receiver: TestReceiver;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

async function appWithEndpoint(hookpost: RunningHookpost): Promise<string> {
  const app = (await (await hookpost.api("/apps", { body: { name: "Faulty" } })).json()) as { id: string };
  expect((await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url: receiver.url } })).status).toBe(201);
  return app.id;
}

const copiesOf = (eventId: string) => receiver.requests.filter((r) => r.headers["webhook-id"] === eventId);

describe("the API dies between commit and enqueue", () => {
  let hookpost: RunningHookpost;
  beforeAll(async () => {
    // The production sweep interval, to show recovery well within a minute.
    hookpost = await startHookpost({ env: { SWEEP_INTERVAL: "5s" } });
  });
  afterAll(async () => hookpost?.stop());

  it("is delivered by the sweeper", async () => {
    receiver.respond(answer(200));
    const appId = await appWithEndpoint(hookpost);
    // The API's own transaction, committed with no job ever added: exactly
    // the state a SIGKILL right after COMMIT leaves behind.
    const { event } = await ingestEvent(
      hookpost.db,
      { id: appId },
      { eventType: "a", payload: { lost: false } },
      undefined,
    );
    const started = Date.now();
    await waitFor(
      "the sweeper to deliver the orphaned event",
      async () => {
        const delivery = await hookpost.db.delivery.findFirst({ where: { eventId: event.id } });
        return delivery?.status === "succeeded" ? true : undefined;
      },
      60_000,
    );
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(copiesOf(event.id)).toHaveLength(1);
  });
});

describe("Redis loses its data with retries pending", () => {
  let hookpost: RunningHookpost;
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await privateRedis();
    await redis.start();
    hookpost = await startHookpost({ redisUrl: redis.url, env: { RETRY_SCHEDULE: "4s,4s" } });
  });
  afterAll(async () => {
    await hookpost?.stop();
    await redis?.stop();
  });

  it("rebuilds each retry from the database at its due time, not early", async () => {
    // Fail the first copy of each event, accept the rest.
    receiver.respond((request, _index, res) => {
      const copies = copiesOf(request.headers["webhook-id"] as string).length;
      res.writeHead(copies === 1 ? 500 : 200).end();
    });
    const appId = await appWithEndpoint(hookpost);
    const events: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await hookpost.api(`/apps/${appId}/events`, { body: { eventType: "a", payload: { i } } });
      events.push(((await response.json()) as { id: string }).id);
    }
    const due = await waitFor("every first attempt to fail", async () => {
      const pending = await hookpost.db.delivery.findMany({ where: { appId, attemptCount: 1, status: "pending" } });
      return pending.length === events.length ? pending : undefined;
    });
    await redisCommand(redis.url, "FLUSHALL");

    await waitFor(
      "every event to be delivered after the flush",
      async () => {
        const done = await hookpost.db.delivery.count({ where: { appId, status: "succeeded" } });
        return done === events.length ? true : undefined;
      },
      30_000,
    );
    for (const delivery of due) {
      const retry = copiesOf(delivery.eventId)[1];
      expect(retry).toBeDefined();
      // Never before it was due.
      expect(retry!.receivedAt).toBeGreaterThanOrEqual(delivery.nextAttemptAt!.getTime());
      expect(copiesOf(delivery.eventId)).toHaveLength(2);
    }
  });
});

describe("SIGTERM during load", () => {
  let hookpost: RunningHookpost;
  beforeAll(async () => {
    hookpost = await startHookpost();
  });
  afterAll(async () => hookpost?.stop());

  it("lets in-flight requests finish, leaves no stalled job, and loses nothing", async () => {
    // Slow answers so that several requests are in flight at the signal.
    receiver.respond((_request, _index, res) => {
      setTimeout(() => res.writeHead(200).end("slow ok"), 1500);
    });
    const appId = await appWithEndpoint(hookpost);
    const events: string[] = [];
    for (let i = 0; i < 10; i++) {
      const response = await hookpost.api(`/apps/${appId}/events`, { body: { eventType: "a", payload: { i } } });
      events.push(((await response.json()) as { id: string }).id);
    }
    const isOurs = (id: unknown) => events.includes(id as string);
    await waitFor("requests to be in flight", () =>
      receiver.requests.filter((r) => isOurs(r.headers["webhook-id"])).length >= 5 ? true : undefined,
    );
    const signalled = Date.now();
    await hookpost.stopWorker("SIGTERM");
    expect(Date.now() - signalled).toBeLessThan(15_000);
    expect(hookpost.workerLogs()).toContain("worker stopped");
    // Every request that reached the receiver finished and was recorded before exit.
    const sent = receiver.requests.filter((r) => isOurs(r.headers["webhook-id"])).length;
    expect(sent).toBeGreaterThanOrEqual(5);
    expect(await hookpost.db.attempt.count({ where: { delivery: { appId }, succeeded: true } })).toBe(sent);

    receiver.respond(answer(200));
    await hookpost.startWorker();
    await waitFor("every event to be delivered", async () => {
      const done = await hookpost.db.delivery.count({ where: { appId, status: "succeeded" } });
      return done === events.length ? true : undefined;
    });
    // No job was left stalled to run twice.
    for (const id of events) expect(copiesOf(id)).toHaveLength(1);
  });
});

describe("Redis that may evict keys", () => {
  let hookpost: RunningHookpost;
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await privateRedis(["--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"]);
    await redis.start();
    hookpost = await startHookpost({ redisUrl: redis.url });
  });
  afterAll(async () => {
    await hookpost?.stop();
    await redis?.stop();
  });

  it("makes readiness fail and say why", async () => {
    const response = await fetch(`${hookpost.baseUrl}/api/health/ready`);
    expect(response.status).toBe(503);
    const report = (await response.json()) as { checks: Record<string, string> };
    expect(report.checks.redisEvictionPolicy).toContain("allkeys-lru");
    expect(report.checks.redisEvictionPolicy).toContain("noeviction");
  });
});

describe("PostgreSQL restarted under load", () => {
  let hookpost: RunningHookpost;
  let postgres: PrivatePostgres;
  beforeAll(async () => {
    postgres = await privatePostgres();
    await postgres.start();
    hookpost = await startHookpost({ postgresUrl: postgres.url });
  });
  afterAll(async () => {
    await hookpost?.stop();
    await postgres?.destroy();
  });

  it("answers 503 while it is down, then delivers everything accepted before and after", async () => {
    receiver.respond(answer(200));
    const appId = await appWithEndpoint(hookpost);
    const send = (i: number) => hookpost.api(`/apps/${appId}/events`, { body: { eventType: "a", payload: { i } } });
    const accepted: string[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await send(i);
      expect(response.status).toBe(202);
      accepted.push(((await response.json()) as { id: string }).id);
    }

    await postgres.kill();
    const down = Date.now();
    const refused = await send(99);
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/unavailable/);
    expect((await fetch(`${hookpost.baseUrl}/api/health`)).status).toBe(503);

    await postgres.start();
    const response = await waitFor("the API to accept events again", async () => {
      const attempt = await send(5);
      return attempt.status === 202 ? attempt : undefined;
    });
    accepted.push(((await response.json()) as { id: string }).id);
    const recovered = Date.now() - down;

    await waitFor(
      "every accepted event to be delivered",
      async () => {
        const done = await hookpost.db.delivery.count({ where: { appId, status: "succeeded" } });
        return done === accepted.length ? true : undefined;
      },
      60_000,
    );
    for (const id of accepted) expect(copiesOf(id).length).toBeGreaterThanOrEqual(1);
    expect(recovered).toBeLessThan(30_000);
  });
});

describe("one endpoint hangs, another is healthy", () => {
  let hookpost: RunningHookpost;
  let hanging: TestReceiver;
  beforeAll(async () => {
    hanging = await startReceiver(() => {
      // Never answers: each request holds its connection until the timeout.
    });
    hookpost = await startHookpost({
      env: { WORKER_CONCURRENCY: "8", ENDPOINT_CONCURRENCY: "2", DELIVERY_TIMEOUT: "6s", RETRY_SCHEDULE: "1m" },
    });
  });
  afterAll(async () => {
    await hookpost?.stop();
    await hanging?.close();
  });

  it("leaves the healthy endpoint's latency unaffected", async () => {
    receiver.respond(answer(200));
    const create = async (name: string, url: string) => {
      const app = (await (await hookpost.api("/apps", { body: { name } })).json()) as { id: string };
      expect((await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url } })).status).toBe(201);
      return app.id;
    };
    const slowApp = await create("Slow", hanging.url);
    const healthyApp = await create("Healthy", receiver.url);
    // Far more hanging work than the worker has slots.
    for (let i = 0; i < 30; i++) {
      await hookpost.api(`/apps/${slowApp}/events`, { body: { eventType: "a", payload: { i } } });
    }
    await waitFor("the hanging endpoint to hold its requests", () => (hanging.requests.length >= 2 ? true : undefined));

    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const response = await hookpost.api(`/apps/${healthyApp}/events`, { body: { eventType: "a", payload: { i } } });
      const { id } = (await response.json()) as { id: string };
      const started = Date.now();
      await waitFor("the healthy delivery", () => (copiesOf(id).length > 0 ? true : undefined), 10_000);
      latencies.push(Date.now() - started);
    }
    // Without the cap the hanging endpoint would hold all 8 slots for 6 s.
    expect(Math.max(...latencies)).toBeLessThan(3000);
    // The cap held: never more than 2 requests at once to the hanging endpoint.
    expect(hanging.requests.length).toBe(2);
  });
});
