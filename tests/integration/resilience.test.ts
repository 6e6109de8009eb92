// Nothing accepted is lost: duplicate ingestion, Redis outages and worker
// crashes all end with each event delivered, under the same webhook-id.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { answer, startReceiver, type TestReceiver } from "../support/receiver";
import { privateRedis, type PrivateRedis } from "../support/redis-server";
import { waitFor } from "../support/services";

let receiver: TestReceiver;

beforeAll(async () => {
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver?.close();
});

async function appWithEndpoint(hookpost: RunningHookpost) {
  const app = (await (await hookpost.api("/apps", { body: { name: "Resilient" } })).json()) as { id: string };
  const endpoint = await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url: receiver.url } });
  expect(endpoint.status).toBe(201);
  return app.id;
}

describe("idempotent ingestion", () => {
  let hookpost: RunningHookpost;
  beforeAll(async () => {
    hookpost = await startHookpost();
  });
  afterAll(async () => {
    await hookpost?.stop();
  });

  it("turns 50 simultaneous identical requests into one event and one delivery", async () => {
    receiver.respond(answer(200));
    const appId = await appWithEndpoint(hookpost);
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        hookpost.api(`/apps/${appId}/events`, {
          body: { eventType: "order.created", payload: { order: 1 } },
          headers: { "idempotency-key": "order-1" },
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(202));
    const ids = new Set(await Promise.all(responses.map(async (r) => ((await r.json()) as { id: string }).id)));
    expect(ids.size).toBe(1);
    expect(await hookpost.db.event.count({ where: { appId } })).toBe(1);
    expect(await hookpost.db.delivery.count({ where: { appId } })).toBe(1);
  });

  it("treats a repeated eventId as the same event", async () => {
    const appId = await appWithEndpoint(hookpost);
    const send = () =>
      hookpost.api(`/apps/${appId}/events`, { body: { eventType: "a", payload: { n: 1 }, eventId: "evt-7" } });
    const first = (await (await send()).json()) as { id: string };
    const second = (await (await send()).json()) as { id: string };
    expect(second.id).toBe(first.id);
    expect(await hookpost.db.delivery.count({ where: { appId } })).toBe(1);
    // The deliveries of an event can be looked up by the sender's eventId too.
    const deliveries = (await (await hookpost.api(`/apps/${appId}/events/evt-7/deliveries`)).json()) as {
      data: unknown[];
    };
    expect(deliveries.data).toHaveLength(1);
  });

  it("releases a key after 24 hours", async () => {
    const appId = await appWithEndpoint(hookpost);
    const send = () =>
      hookpost.api(`/apps/${appId}/events`, {
        body: { eventType: "a", payload: {} },
        headers: { "idempotency-key": "daily" },
      });
    const first = (await (await send()).json()) as { id: string };
    // The key's own row says when it was taken.
    await hookpost.db.idempotencyKey.updateMany({
      where: { eventId: first.id },
      data: { createdAt: new Date(Date.now() - 25 * 3600_000) },
    });
    const second = (await (await send()).json()) as { id: string };
    expect(second.id).not.toBe(first.id);
  });
});

describe("Redis outage", () => {
  let hookpost: RunningHookpost;
  let redis: PrivateRedis;

  beforeAll(async () => {
    redis = await privateRedis();
    await redis.start();
    hookpost = await startHookpost({ redisUrl: redis.url });
  });
  afterAll(async () => {
    await hookpost?.stop();
    await redis?.stop();
  });

  it("accepts events while Redis is down and delivers them once it is back", async () => {
    receiver.respond(answer(200));
    const appId = await appWithEndpoint(hookpost);
    await redis.stop();

    const accepted: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await hookpost.api(`/apps/${appId}/events`, { body: { eventType: "a", payload: { i } } });
      expect(response.status).toBe(202);
      accepted.push(((await response.json()) as { id: string }).id);
    }
    const health = await fetch(`${hookpost.baseUrl}/api/health`);
    expect(health.status).toBe(503);
    expect(receiver.requests.filter((r) => accepted.includes(r.headers["webhook-id"] as string))).toHaveLength(0);

    await redis.start();
    await hookpost.waitForSucceeded(
      appId,
      accepted.length,
      "every event accepted during the outage to be delivered",
      30_000,
    );
    for (const id of accepted) {
      expect(receiver.requests.filter((r) => r.headers["webhook-id"] === id).length).toBeGreaterThanOrEqual(1);
    }
  });
});

describe("worker crash", () => {
  let hookpost: RunningHookpost;
  beforeAll(async () => {
    hookpost = await startHookpost();
  });
  afterAll(async () => {
    await hookpost?.stop();
  });
  afterEach(() => receiver.respond(answer(200)));

  it("completes a delivery whose worker was SIGKILLed mid-request, with the same webhook-id", async () => {
    let release: (() => void) | undefined;
    // The first copy hangs until the worker is gone; later copies succeed.
    receiver.respond((request, _index, res) => {
      const copies = receiver.requests.filter((r) => r.headers["webhook-id"] === request.headers["webhook-id"]).length;
      if (copies === 1) release = () => res.destroy();
      else res.writeHead(200).end("ok");
    });
    const appId = await appWithEndpoint(hookpost);
    const event = (await (
      await hookpost.api(`/apps/${appId}/events`, { body: { eventType: "a", payload: { crash: true } } })
    ).json()) as { id: string };

    await waitFor("the first copy to arrive", () => (release ? true : undefined));
    await hookpost.stopWorker("SIGKILL");
    release?.();
    await hookpost.startWorker();

    const delivery = await waitFor(
      "the delivery to complete after the crash",
      async () => {
        const found = await hookpost.db.delivery.findFirst({ where: { eventId: event.id } });
        return found?.status === "succeeded" ? found : undefined;
      },
      30_000,
    );
    const copies = receiver.requests.filter((r) => r.headers["webhook-id"] === event.id);
    expect(copies.length).toBe(2);
    // The killed attempt never finished, so only the completed one is on record.
    expect(delivery.attemptCount).toBe(1);
  });

  it("survives the worker being SIGKILLed twice on the same delivery: the database decides, not the failed set", async () => {
    const releases: Array<() => void> = [];
    // The first two copies hang until their worker is killed; the third succeeds.
    receiver.respond((request, _index, res) => {
      const copies = receiver.requests.filter((r) => r.headers["webhook-id"] === request.headers["webhook-id"]).length;
      if (copies <= 2) releases.push(() => res.destroy());
      else res.writeHead(200).end("ok");
    });
    const appId = await appWithEndpoint(hookpost);
    const event = (await (
      await hookpost.api(`/apps/${appId}/events`, { body: { eventType: "a", payload: { crash: 2 } } })
    ).json()) as { id: string };

    for (let kill = 1; kill <= 2; kill++) {
      await waitFor(`copy ${kill} to arrive`, () => (releases.length >= kill ? true : undefined), 30_000);
      await hookpost.stopWorker("SIGKILL");
      releases[kill - 1]?.();
      await hookpost.startWorker();
    }

    const delivery = await waitFor(
      "the delivery to complete after two crashes",
      async () => {
        const found = await hookpost.db.delivery.findFirst({ where: { eventId: event.id } });
        return found?.status === "succeeded" ? found : undefined;
      },
      45_000,
    );
    const copies = receiver.requests.filter((r) => r.headers["webhook-id"] === event.id);
    expect(copies).toHaveLength(3);
    expect(delivery.attemptCount).toBe(1);
  });
});
