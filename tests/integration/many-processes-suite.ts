// Two web processes and three workers on one PostgreSQL database and one
// Redis (many-processes.test.ts) or Redis Cluster (many-processes-cluster.test.ts),
// as real processes: what either web process accepts is delivered as with
// one of each; a Retry or a rotation in one is seen by every worker; a
// revoked API key or an ended portal session is refused by every web
// process within the documented bound; and an endpoint's breaker and rate
// limit hold across the workers.
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../lib/auth/api-keys";
import { createPortalAccess, endPortalSession, PORTAL_COOKIE, redeemPortalLink } from "../../lib/auth/portal";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { answer, startReceiver, type TestReceiver } from "../support/receiver";
import { waitFor } from "../support/services";

export interface ManyProcessesOptions {
  redis: () => Promise<{ url?: string; shards: number; stop?: () => Promise<void> }>;
}

/** How soon every web process refuses a revoked key (the message's bound; docs/deployment.md). */
const REVOCATION_BOUND_MS = 1_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function manyProcessesSuite(name: string, options: ManyProcessesOptions) {
  let redis: Awaited<ReturnType<ManyProcessesOptions["redis"]>>;
  let hookpost: RunningHookpost;
  let receiver: TestReceiver;
  let webs: string[];
  const workerLogs: Array<() => string> = [];

  beforeAll(async () => {
    redis = await options.redis();
    hookpost = await startHookpost({
      redisUrl: redis.url,
      env: { RETRY_SCHEDULE: "300ms,300ms,300ms,300ms", QUEUE_SHARDS: String(redis.shards) },
    });
    const second = await hookpost.startWeb();
    webs = [hookpost.baseUrl, second.baseUrl];
    workerLogs.push(() => hookpost.workerLogs());
    for (let n = 0; n < 2; n++) {
      const extra = await hookpost.startExtraWorker();
      workerLogs.push(() => extra.logs());
    }
    receiver = await startReceiver();
  });

  afterAll(async () => {
    await hookpost?.stop();
    await receiver?.close();
    await redis?.stop?.();
  });

  /** Calls the API of web process `web` (0 or 1) with the test's key. */
  const api = (web: number, path: string, body?: unknown, key = hookpost.apiKey) =>
    fetch(`${webs[web]}/api/v1${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  async function appWithEndpoints(count: number, endpoint: Record<string, unknown> = {}) {
    const app = (await (await api(0, "/apps", { name: "many" })).json()) as { id: string };
    /** Each endpoint's path and query as the receiver records it, unique to the app. */
    const endpoints: Array<{ id: string; path: string }> = [];
    for (let n = 0; n < count; n++) {
      const url = `${receiver.url}?app=${app.id}&e=${n}`;
      const created = await api(n % 2, `/apps/${app.id}/endpoints`, { url, ...endpoint });
      expect(created.status).toBe(201);
      endpoints.push({
        id: ((await created.json()) as { id: string }).id,
        path: new URL(url).pathname + new URL(url).search,
      });
    }
    return { appId: app.id, endpoints };
  }

  async function send(web: number, appId: string, n: number): Promise<string> {
    const response = await api(web, `/apps/${appId}/events`, { eventType: "many", payload: { n } });
    expect(response.status).toBe(202);
    return ((await response.json()) as { id: string }).id;
  }

  /** The attempts each worker process has made so far, from its own /metrics. */
  async function attemptsPerWorker(): Promise<number[]> {
    return Promise.all(
      workerLogs.map(async (logs) => {
        const port = /"port":(\d+)[^\n]*worker metrics and health listening/.exec(logs())?.[1];
        if (!port) throw new Error("a worker did not log its metrics port");
        const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        return text
          .split("\n")
          .filter((line) => line.startsWith("hookpost_attempts_total{"))
          .reduce((sum, line) => sum + Number(line.split(" ").pop()), 0);
      }),
    );
  }

  describe(name, () => {
    it("delivers each event accepted by either web process once to each endpoint, the three workers sharing the work", async () => {
      receiver.respond((_request, _index, res) => void setTimeout(() => res.writeHead(200).end(), 20));
      const { appId, endpoints } = await appWithEndpoints(4);
      const before = await attemptsPerWorker();
      const events = await Promise.all(Array.from({ length: 120 }, (_, n) => send(n % 2, appId, n)));
      await hookpost.waitForSucceeded(appId, events.length * endpoints.length, "every event at every endpoint", 60_000);
      for (const event of events) {
        const copies = receiver.requests.filter((r) => r.headers["webhook-id"] === event).map((r) => r.url);
        expect(copies.sort()).toEqual(endpoints.map((endpoint) => endpoint.path).sort());
      }
      const after = await attemptsPerWorker();
      const made = after.map((count, index) => count - before[index]!);
      expect(made.reduce((sum, count) => sum + count, 0)).toBe(events.length * endpoints.length);
      for (const count of made) expect(count).toBeGreaterThan(0);
    });

    it("sends a rotation made in one web process and a Retry asked in the other through every worker", async () => {
      receiver.respond(answer(200));
      const { appId, endpoints } = await appWithEndpoints(1);
      const endpointId = endpoints[0]!.id;
      const rotated = await api(1, `/apps/${appId}/endpoints/${endpointId}/secret/rotate`, {});
      expect(rotated.status).toBe(200);
      const { key } = (await rotated.json()) as { key: string };

      const events = await Promise.all(Array.from({ length: 30 }, (_, n) => send(0, appId, n)));
      await hookpost.waitForSucceeded(appId, events.length, "the events after the rotation");
      for (const event of events) {
        const request = receiver.requests.find((r) => r.headers["webhook-id"] === event)!;
        const headers = request.headers as Record<string, string>;
        const current = { ...headers, "webhook-signature": headers["webhook-signature"]!.split(" ")[0]! };
        expect(() => new Webhook(key).verify(request.body, current)).not.toThrow();
      }

      const deliveries = await hookpost.db.delivery.findMany({ where: { appId }, select: { id: true } });
      for (const delivery of deliveries) {
        expect((await api(1, `/apps/${appId}/deliveries/${delivery.id}/retry`, {})).status).toBe(202);
      }
      await waitFor("every retry to be made", async () =>
        (await hookpost.db.attempt.count({ where: { delivery: { appId }, trigger: "manual" } })) === deliveries.length
          ? true
          : undefined,
      );
      for (const event of events) {
        expect(receiver.requests.filter((r) => r.headers["webhook-id"] === event)).toHaveLength(2);
      }
    });

    it(`refuses a revoked API key in both web processes within ${REVOCATION_BOUND_MS} ms, and an ended portal session at once`, async () => {
      const { id, key } = await createApiKey(hookpost.db, "revoked-soon");
      // Both processes know the key, so each holds it in memory.
      for (const web of [0, 1]) expect((await api(web, "/apps", undefined, key)).status).toBe(200);
      const revoked = await hookpost.cli(["api-key", "revoke", id]);
      expect(revoked.code, revoked.output).toBe(0);
      const revokedAt = Date.now();
      await waitFor(
        "both web processes to refuse the revoked key",
        async () => {
          const statuses = await Promise.all(
            [0, 1].map(async (web) => (await api(web, "/apps", undefined, key)).status),
          );
          return statuses.every((status) => status === 401) ? true : undefined;
        },
        REVOCATION_BOUND_MS * 5,
      );
      expect(Date.now() - revokedAt).toBeLessThanOrEqual(REVOCATION_BOUND_MS);

      const { appId } = await appWithEndpoints(1);
      const { token } = await createPortalAccess(hookpost.db, appId, 60_000);
      const opened = await redeemPortalLink(hookpost.db, token, 3_600_000);
      const cookie = `${PORTAL_COOKIE}=${opened!.sessionToken}`;
      const page = (web: number) =>
        fetch(`${webs[web]}/apps/${appId}`, { headers: { cookie }, redirect: "manual" }).then((r) => r.status);
      expect(await Promise.all([page(0), page(1)])).toEqual([200, 200]);
      await endPortalSession(hookpost.db, opened!.sessionToken);
      const statuses = await Promise.all([page(0), page(1)]);
      expect(statuses.every((status) => status !== 200)).toBe(true);
    });

    it("keeps an endpoint's rate limit of 10 per second with three workers sending", async () => {
      receiver.respond(answer(200));
      const { appId, endpoints } = await appWithEndpoints(1, { rateLimit: 10 });
      const first = receiver.requests.length;
      const events = await Promise.all(Array.from({ length: 40 }, (_, n) => send(n % 2, appId, n)));
      await hookpost.waitForSucceeded(appId, events.length, "every rate-limited event", 30_000);
      const arrivals = receiver.requests
        .slice(first)
        .filter((r) => r.url === endpoints[0]!.path && events.includes(String(r.headers["webhook-id"])))
        .map((r) => r.receivedAt)
        .sort((a, b) => a - b);
      expect(arrivals).toHaveLength(events.length);
      // No 11 arrivals within a second: the limiter spaces sends 100 ms apart
      // on Redis's clock; the 50 ms allowed is the network's jitter between
      // a send and its arrival, not a burst.
      const spans = arrivals.slice(10).map((at, i) => at - arrivals[i]!);
      expect(Math.min(...spans)).toBeGreaterThanOrEqual(950);
    });

    it("probes a failing endpoint from one breaker: once it opens no worker sends until the probe is due", async () => {
      receiver.respond(answer(500, "down"));
      const { appId, endpoints } = await appWithEndpoints(1);
      const endpointId = endpoints[0]!.id;
      await Promise.all(Array.from({ length: 60 }, (_, n) => send(n % 2, appId, n)));
      const probeAt = await waitFor("the endpoint's breaker to open", async () => {
        const row = await hookpost.db.endpoint.findUniqueOrThrow({ where: { id: endpointId } });
        return row.probeAt ?? undefined;
      });
      // Requests already in flight when it opened arrive first.
      await sleep(500);
      const sent = () => receiver.requests.filter((r) => r.url === endpoints[0]!.path).length;
      const sentBefore = sent();
      await sleep(Math.max(0, probeAt.getTime() - Date.now() - 500));
      const sentAfter = sent();
      expect(sentAfter - sentBefore).toBe(0);
    });
  });
}
