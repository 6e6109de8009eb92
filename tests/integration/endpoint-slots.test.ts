// An endpoint at its concurrency cap, seen from real processes: a burst to
// a new endpoint goes out as fast as the cap allows, and a hanging endpoint
// neither spins the worker with refusals nor slows the healthy endpoint
// next to it.
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { seriesValue } from "../support/metrics";
import { answer, startReceiver, type TestReceiver } from "../support/receiver";
import { freePort, waitFor } from "../support/services";

const DEFERRED = 'hookpost_attempts_deferred_total{reason="endpoint_cap"}';

let hookpost: RunningHookpost;
let metricsUrl: string;
const receivers: TestReceiver[] = [];

beforeAll(async () => {
  const workerPort = await freePort();
  metricsUrl = `http://127.0.0.1:${workerPort}/metrics`;
  hookpost = await startHookpost({
    env: {
      WORKER_METRICS_PORT: String(workerPort),
      // Short, so that a hang is over in a few seconds; the cap is the default's.
      DELIVERY_TIMEOUT: "3s",
      ENDPOINT_CONCURRENCY: "10",
      RETRY_SCHEDULE: "1s,1s,1s,1s,1s,1s,1s,1s,1s,1s",
      // The breaker would hold the hanging endpoint's attempts instead of sending them: not what is measured here.
      ENDPOINT_BREAKER_FAILURES: "0",
    },
  });
});

afterAll(async () => {
  await hookpost?.stop();
  await Promise.all(receivers.map((receiver) => receiver.close()));
});

async function receiverOf(responder: Parameters<typeof startReceiver>[0]): Promise<TestReceiver> {
  const receiver = await startReceiver(responder);
  receivers.push(receiver);
  return receiver;
}

async function appWithEndpoints(name: string, urls: string[]): Promise<string> {
  const app = (await (await hookpost.api("/apps", { body: { name } })).json()) as { id: string };
  for (const url of urls) expect((await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url } })).status).toBe(201);
  return app.id;
}

async function deferredSoFar(): Promise<number> {
  return seriesValue(await (await fetch(metricsUrl)).text(), DEFERRED) ?? 0;
}

interface Sent {
  id: string;
  sentAt: number;
}

async function sendEvent(appId: string, i: number): Promise<Sent> {
  const sentAt = Date.now();
  const response = await hookpost.api(`/apps/${appId}/events`, { body: { eventType: "a", payload: { i } } });
  expect(response.status).toBe(202);
  return { id: ((await response.json()) as { id: string }).id, sentAt };
}

/** Events at `perSecond`, evenly spaced for `seconds`, each request started on time whether or not the last was answered. */
async function sendAtRate(appId: string, perSecond: number, seconds: number): Promise<Sent[]> {
  const start = Date.now();
  const sends: Array<Promise<Sent>> = [];
  for (let i = 0; i < perSecond * seconds; i++) {
    const due = start + (i * 1000) / perSecond;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    sends.push(sendEvent(appId, i));
  }
  return Promise.all(sends);
}

/** Milliseconds from each event's send to its first arrival at `receiver`. */
function latencies(receiver: TestReceiver, events: Sent[]): number[] {
  const firstArrival = new Map<string, number>();
  for (const request of receiver.requests) {
    const id = request.headers["webhook-id"] as string;
    if (!firstArrival.has(id)) firstArrival.set(id, request.receivedAt);
  }
  return events.map((event) => firstArrival.get(event.id)! - event.sentAt);
}

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length * 0.99) - 1]!;
}

describe("a new endpoint's first burst", () => {
  it("goes out as fast as the endpoint's cap allows", async () => {
    const fast = await receiverOf((_request, _index, res) => {
      setTimeout(() => res.writeHead(200).end("ok"), 5);
    });
    const appId = await appWithEndpoints("Burst", [fast.url]);
    // Queued while the worker is down, so that it takes them all at once
    // however the API happened to batch them.
    await hookpost.stopWorker();
    const events = await Promise.all(Array.from({ length: 100 }, (_, i) => sendEvent(appId, i)));
    await hookpost.startWorker();
    await hookpost.waitForSucceeded(appId, events.length, "the burst to be delivered", 30_000);
    const arrivals = fast.requests.map((request) => request.receivedAt);
    const span = Math.max(...arrivals) - Math.min(...arrivals);
    console.log(`burst of 100 to a new endpoint: first to last arrival ${span} ms`);
    // 100 requests of 5 ms, 10 at a time, take about 50 ms of the endpoint's time.
    expect(span).toBeLessThan(1_000);
    expect(fast.requests).toHaveLength(events.length);
  });
});

describe("a hanging endpoint next to a healthy one, at 100 events/s", () => {
  it("costs a few refusals per request it gets, and leaves the healthy endpoint's p99 as it was", async () => {
    let hanging = false;
    const held: ServerResponse[] = [];
    const flaky = await receiverOf((_request, _index, res) => {
      if (hanging) held.push(res);
      else res.writeHead(200).end("ok");
    });
    const healthy = await receiverOf(answer(200, "ok"));
    const appId = await appWithEndpoints("Neighbours", [healthy.url, flaky.url]);

    // Warm up (JIT, connections, caches), then the baseline: both endpoints answer at once.
    const warmUp = await sendAtRate(appId, 100, 2);
    await hookpost.waitForSucceeded(appId, warmUp.length * 2, "the warm-up's deliveries", 30_000);
    const calm = await sendAtRate(appId, 100, 4);
    await hookpost.waitForSucceeded(appId, (warmUp.length + calm.length) * 2, "the baseline's deliveries", 30_000);
    const baseline = p99(latencies(healthy, calm));

    // One endpoint hangs for 6 s, past two of its 3 s timeouts, then answers again.
    const deferredBefore = await deferredSoFar();
    const requestsBefore = flaky.requests.length;
    hanging = true;
    const stormy = await sendAtRate(appId, 100, 6);
    hanging = false;
    const all = warmUp.length + calm.length + stormy.length;
    await waitFor(
      "the healthy endpoint's deliveries during the hang",
      () => (new Set(healthy.requests.map((r) => r.headers["webhook-id"])).size === all ? true : undefined),
      30_000,
    );
    const during = p99(latencies(healthy, stormy));
    console.log(`healthy p99 ${baseline} ms alone, ${during} ms next to the hang`);
    // At a baseline of tens of ms, 1.5x is within the noise of a shared
    // machine: 250 ms is not, and a worker spinning on refusals goes past it
    // (427 ms against a baseline of 86 ms, 3.9 s when the machine was busy).
    expect(during).toBeLessThanOrEqual(Math.max(1.5 * baseline, 250));
    await waitFor(
      "every delivery to settle, the hanging endpoint's too",
      async () =>
        (await hookpost.db.delivery.count({ where: { appId, status: "pending" } })) === 0 ? true : undefined,
      45_000,
    ).catch(async (error: unknown) => {
      // The figure that says why, when a worker spinning on refusals never gets through them.
      console.log(`${(await deferredSoFar()) - deferredBefore} deferrals so far`);
      throw error;
    });
    const deferred = (await deferredSoFar()) - deferredBefore;
    const requests = flaky.requests.length - requestsBefore;
    console.log(`${deferred} deferrals for ${requests} requests to the hanging endpoint (${held.length} of them held)`);
    expect(await hookpost.db.delivery.count({ where: { appId, status: "succeeded" } })).toBe(all * 2);

    // Each of its 600 attempts is refused about once or twice while it hangs, not once per few hundred ms.
    expect(deferred).toBeLessThanOrEqual(3 * requests);
    // Nothing lost, and the healthy endpoint got each event once.
    expect(healthy.requests).toHaveLength(all);
  });
});

describe("a worker stopping with attempts waiting for a hanging endpoint", () => {
  it("ends its requests in flight and hands the waiting attempts back to their rows, losing none", async () => {
    const held: ServerResponse[] = [];
    let hanging = true;
    const slow = await receiverOf((_request, _index, res) => {
      if (hanging) held.push(res);
      else res.writeHead(200).end("ok");
    });
    const appId = await appWithEndpoints("Stopping", [slow.url]);
    const events = await Promise.all(Array.from({ length: 30 }, (_, i) => sendEvent(appId, i)));
    await waitFor("the endpoint's cap to fill", () => (held.length === 10 ? true : undefined));
    await waitFor("the rest to wait in the worker", async () => {
      const metrics = await (await fetch(metricsUrl)).text();
      return seriesValue(metrics, "hookpost_attempts_waiting") === 20 ? true : undefined;
    });

    const signalled = Date.now();
    await hookpost.stopWorker("SIGTERM");
    // The requests in flight end by their 3 s timeout; the waiting ones do not hold the worker up.
    expect(Date.now() - signalled).toBeLessThan(6_000);
    expect(hookpost.workerLogs()).toContain("worker stopped");
    const waitingInRows = await hookpost.db.delivery.count({
      where: { appId, status: "pending", attemptCount: 0, nextAttemptJob: null },
    });
    expect(waitingInRows).toBe(20);

    hanging = false;
    await hookpost.startWorker();
    await hookpost.waitForSucceeded(appId, events.length, "every event once the endpoint answers", 30_000);
    const copies = new Map<string, number>();
    for (const request of slow.requests) {
      const id = request.headers["webhook-id"] as string;
      copies.set(id, (copies.get(id) ?? 0) + 1);
    }
    for (const event of events) expect(copies.get(event.id)).toBeGreaterThanOrEqual(1);
  });
});
