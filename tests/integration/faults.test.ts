// Fault injection: each fault is injected into real processes, then every
// accepted event must end delivered as the schedule says, under one webhook-id.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createGzip } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestEvent } from "@/lib/events/events";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { seriesValue } from "../support/metrics";
import { answer, startReceiver, type TestReceiver } from "../support/receiver";
import { privatePostgres, type PrivatePostgres } from "../support/private-postgres";
import { privateRedis, redisCommand, type PrivateRedis } from "../support/redis-server";
import { freePort, waitFor } from "../support/services";

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

    await hookpost.waitForSucceeded(appId, events.length, "every event to be delivered after the flush", 30_000);
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
    await hookpost.waitForSucceeded(appId, events.length, "every event to be delivered");
    // No job was left stalled to run twice.
    for (const id of events) expect(copiesOf(id)).toHaveLength(1);
  });
});

describe("SIGTERM with a first-attempts job queued behind the worker's slots", () => {
  let hookpost: RunningHookpost;
  beforeAll(async () => {
    hookpost = await startHookpost({ env: { WORKER_CONCURRENCY: "2" } });
  });
  afterAll(async () => hookpost?.stop());

  it("finishes the requests in flight, leaves the rest to the job's next run, and sends each event once", async () => {
    receiver.respond((_request, _index, res) => {
      setTimeout(() => res.writeHead(200).end("slow ok"), 1000);
    });
    const appId = await appWithEndpoint(hookpost);
    // Sent together, so they share ingestion batches: 30 one-second requests, two at a time.
    const events = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const response = await hookpost.api(`/apps/${appId}/events`, { body: { eventType: "a", payload: { i } } });
        return ((await response.json()) as { id: string }).id;
      }),
    );
    const isOurs = (id: unknown) => events.includes(id as string);
    await waitFor("requests to be in flight", () =>
      receiver.requests.some((r) => isOurs(r.headers["webhook-id"])) ? true : undefined,
    );
    const signalled = Date.now();
    await hookpost.stopWorker("SIGTERM");
    // Working through the queued attempts would take about 15 s.
    expect(Date.now() - signalled).toBeLessThan(6_000);
    expect(hookpost.workerLogs()).toContain("worker stopped");
    const sent = receiver.requests.filter((r) => isOurs(r.headers["webhook-id"])).length;
    expect(sent).toBeLessThan(events.length);
    expect(await hookpost.db.attempt.count({ where: { delivery: { appId }, succeeded: true } })).toBe(sent);

    receiver.respond(answer(200));
    await hookpost.startWorker();
    await hookpost.waitForSucceeded(appId, events.length, "every event to be delivered");
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

    await hookpost.waitForSucceeded(appId, accepted.length, "every accepted event to be delivered", 60_000);
    for (const id of accepted) expect(copiesOf(id).length).toBeGreaterThanOrEqual(1);
    expect(recovered).toBeLessThan(30_000);
  });
});

describe("one endpoint hangs, another is healthy", () => {
  let hookpost: RunningHookpost;
  let hanging: TestReceiver;
  let metricsUrl: string;
  beforeAll(async () => {
    hanging = await startReceiver(() => {
      // Never answers: each request holds its connection until the timeout.
    });
    const workerPort = await freePort();
    metricsUrl = `http://127.0.0.1:${workerPort}/metrics`;
    hookpost = await startHookpost({
      env: {
        WORKER_CONCURRENCY: "8",
        ENDPOINT_CONCURRENCY: "2",
        DELIVERY_TIMEOUT: "6s",
        RETRY_SCHEDULE: "1m",
        WORKER_METRICS_PORT: String(workerPort),
      },
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
    // The other 28 wait: 16 in the worker (one endpoint takes at most half
    // of its 32 places), the rest in their rows, and the operator can see both.
    const metrics = await (await fetch(metricsUrl)).text();
    const waiting = seriesValue(metrics, "hookpost_attempts_waiting");
    const deferred = seriesValue(metrics, 'hookpost_attempts_deferred_total{reason="endpoint_cap"}');
    expect(waiting).toBe(16);
    expect(deferred).toBeGreaterThanOrEqual(12);
    // Their rows say when they come back, and name no job: the scheduler
    // queues them then, and the sweeper does not take them for deliveries
    // the queue lost.
    const heldBack = await hookpost.db.delivery.count({
      where: {
        appId: slowApp,
        status: "pending",
        attemptCount: 0,
        nextAttemptAt: { gt: new Date() },
        nextAttemptJob: null,
      },
    });
    expect(heldBack).toBeGreaterThanOrEqual(12);
  });
});

describe("receivers answering a 1 GB body or a gzip bomb", () => {
  const GIB = 1024 ** 3;
  let hookpost: RunningHookpost;
  let metricsUrl: string;
  let hostile: Server;
  let hostileUrl: string;
  /** Bytes each response got onto the wire before the worker hung up. */
  const written: number[] = [];

  beforeAll(async () => {
    const bomb = await gzipBomb(GIB);
    const chunk = Buffer.alloc(1024 * 1024, "x");
    hostile = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        if (req.url === "/bomb") {
          // ~1 MB on the wire, 1 GB once inflated.
          res.writeHead(200, { "content-encoding": "gzip", "content-length": String(bomb.length) }).end(bomb);
          written.push(bomb.length);
          return;
        }
        // 1 GB, written as fast as the worker reads it, until it hangs up.
        res.writeHead(200, { "content-length": String(GIB) });
        let sent = 0;
        const pump = () => {
          while (sent < GIB && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) return;
          }
          if (sent >= GIB) res.end();
        };
        res.on("drain", pump);
        res.on("close", () => written.push(sent));
        pump();
      });
    });
    await new Promise<void>((resolve) => hostile.listen(0, "127.0.0.1", resolve));
    hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
    const workerPort = await freePort();
    metricsUrl = `http://127.0.0.1:${workerPort}/metrics`;
    hookpost = await startHookpost({
      env: { WORKER_METRICS_PORT: String(workerPort), WORKER_CONCURRENCY: "10", RETRY_SCHEDULE: "1h" },
    });
  }, 120_000);
  afterAll(async () => {
    await hookpost?.stop();
    hostile?.closeAllConnections();
    await new Promise((resolve) => hostile?.close(resolve));
  });

  const workerRss = async () => {
    const metrics = await (await fetch(metricsUrl)).text();
    return Number(seriesValue(metrics, "process_resident_memory_bytes"));
  };

  it("reads 64 KiB of each, stores 16 KiB, and keeps the worker's memory flat", async () => {
    const app = (await (await hookpost.api("/apps", { body: { name: "Hostile" } })).json()) as { id: string };
    for (const path of ["/huge", "/bomb"]) {
      const created = await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url: `${hostileUrl}${path}` } });
      expect(created.status).toBe(201);
    }
    const send = async (count: number) => {
      for (let i = 0; i < count; i++) {
        expect(
          (await hookpost.api(`/apps/${app.id}/events`, { body: { eventType: "a", payload: { i } } })).status,
        ).toBe(202);
      }
      await waitFor(
        "every delivery to be attempted",
        async () => ((await hookpost.db.delivery.count({ where: { attemptCount: 0 } })) === 0 ? true : undefined),
        60_000,
      );
    };
    // Warm up (code paths, pools), then measure across 2 × 40 hostile answers.
    await send(5);
    const before = await workerRss();
    await send(40);
    const after = await workerRss();

    const attempts = await hookpost.db.attempt.findMany({ select: { responseBody: true, responseStatusCode: true } });
    expect(attempts).toHaveLength(90);
    for (const attempt of attempts) {
      expect(attempt.responseStatusCode).toBe(200);
      expect(Buffer.byteLength(attempt.responseBody ?? "")).toBeLessThanOrEqual(16 * 1024);
    }
    // The worker hung up long before 1 GB: what got written is kernel buffers, not a download.
    const huge = written.filter((bytes) => bytes > 2 * 1024 * 1024);
    expect(huge.length).toBeGreaterThan(0);
    expect(Math.max(...huge)).toBeLessThan(64 * 1024 * 1024);
    console.log(
      `worker RSS ${(before / 2 ** 20).toFixed(0)} MB -> ${(after / 2 ** 20).toFixed(0)} MB over 80 hostile answers`,
    );
    expect(after - before).toBeLessThan(64 * 1024 * 1024);
  }, 120_000);
});

/** A gzip stream that inflates to `size` zero bytes. */
async function gzipBomb(size: number): Promise<Buffer> {
  const zeros = Buffer.alloc(16 * 1024 * 1024);
  const gzip = createGzip({ level: 9 });
  const chunks: Buffer[] = [];
  gzip.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve) => gzip.on("end", resolve));
  for (let written = 0; written < size; written += zeros.length) {
    if (!gzip.write(zeros)) await new Promise((resolve) => gzip.once("drain", resolve));
  }
  gzip.end();
  await done;
  return Buffer.concat(chunks);
}
