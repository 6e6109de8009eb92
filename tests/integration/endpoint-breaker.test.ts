// What the endpoint breaker promises, seen from outside: a delivery it holds
// waits unsent, writes no attempt and uses none of its schedule; a probe's
// 2xx sends the held deliveries promptly; the state outlives a worker; and a
// delivery fails only when its schedule is over or its deadline passes.
// Default breaker settings (10 failures in a row, probes after 5 s, 10 s...).
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDeliveryDetail } from "../../lib/dashboard/deliveries";
import { createLogger } from "../../lib/platform/logger";
import { DeliveryProducer } from "../../lib/queue/producer";
import { sendTestEvent } from "../../lib/endpoints/test-events";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { answer, startReceiver, type TestReceiver } from "../support/receiver";
import { REDIS_URL, waitFor } from "../support/services";

let hookpost: RunningHookpost;
let receiver: TestReceiver;

beforeAll(async () => {
  hookpost = await startHookpost({ env: { RETRY_SCHEDULE: "1s,1s,1s,1s" } });
  receiver = await startReceiver();
});

afterAll(async () => {
  await hookpost?.stop();
  await receiver?.close();
});

async function createAppWithEndpoint() {
  const app = (await (await hookpost.api("/apps", { body: { name: "Acme" } })).json()) as { id: string };
  const created = await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url: receiver.url } });
  expect(created.status).toBe(201);
  return { appId: app.id, endpointId: ((await created.json()) as { id: string }).id };
}

async function sendEvents(appId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const response = await hookpost.api(`/apps/${appId}/events`, {
      body: { eventType: "invoice.paid", payload: { n } },
    });
    expect(response.status).toBe(202);
    ids.push(((await response.json()) as { id: string }).id);
  }
  return ids;
}

const requestsFor = (eventIds: string[]) => {
  const ids = new Set(eventIds);
  return receiver.requests.filter((request) => ids.has(String(request.headers["webhook-id"])));
};

/** Polls the endpoint's row: whether its breaker has been seen open. */
function watchBreaker(endpointId: string) {
  let seenOpen = false;
  const timer = setInterval(() => {
    void hookpost.db.endpoint
      .findUniqueOrThrow({ where: { id: endpointId } })
      .then((endpoint) => (seenOpen ||= endpoint.probeAt !== null));
  }, 100);
  return {
    stop: () => clearInterval(timer),
    seenOpen: () => seenOpen,
  };
}

describe("endpoint breaker", () => {
  it("sends a flaky endpoint's deliveries until they succeed: held attempts are not attempts", async () => {
    // Each event is answered 500, 500, then 200: the first eleven requests
    // all fail, which opens the breaker.
    receiver.respond((request, _index, res) => {
      const seen = receiver.requests.filter((r) => r.headers["webhook-id"] === request.headers["webhook-id"]);
      res.writeHead(seen.length <= 2 ? 500 : 200).end(seen.length <= 2 ? "not yet" : "ok");
    });
    const { appId, endpointId } = await createAppWithEndpoint();
    const breaker = watchBreaker(endpointId);
    const events = await sendEvents(appId, 11);
    await hookpost.waitForSucceeded(appId, events.length, "every flaky delivery to succeed", 90_000);
    breaker.stop();
    expect(breaker.seenOpen()).toBe(true);

    for (const eventId of events) {
      expect(requestsFor([eventId])).toHaveLength(3);
      const delivery = await hookpost.db.delivery.findFirstOrThrow({
        where: { eventId },
        include: { attempts: { orderBy: { id: "desc" } } },
      });
      expect(delivery).toMatchObject({ status: "succeeded", attemptCount: 3, heldSince: null });
      expect(delivery.attempts.map((attempt) => attempt.responseStatusCode)).toEqual([200, 500, 500]);
    }
    expect(hookpost.workerLogs()).toContain("its deliveries wait for a probe to succeed");
  }, 120_000);

  it("holds a dead endpoint's deliveries unsent across a worker restart, and sends them all once a probe succeeds", async () => {
    receiver.respond(answer(500, "down"));
    const { appId, endpointId } = await createAppWithEndpoint();
    const events = await sendEvents(appId, 14);
    await waitFor("the breaker to open", async () => {
      const endpoint = await hookpost.db.endpoint.findUniqueOrThrow({ where: { id: endpointId } });
      return endpoint.probeAt ? endpoint : undefined;
    });
    const held = await waitFor("deliveries to be held", async () => {
      const count = await hookpost.db.delivery.count({ where: { appId, heldSince: { not: null } } });
      return count >= 4 ? count : undefined;
    });
    expect(held).toBeGreaterThanOrEqual(4);

    // Every attempt in the log is a request the endpoint received.
    const attemptsNow = await hookpost.db.attempt.count({ where: { delivery: { appId } } });
    expect(attemptsNow).toBe(requestsFor(events).length);
    expect(await hookpost.db.attempt.count({ where: { delivery: { appId }, responseStatusCode: null } })).toBe(0);

    // The API says the delivery waits, not when it is tried next.
    const heldDelivery = await hookpost.db.delivery.findFirstOrThrow({ where: { appId, heldSince: { not: null } } });
    const listed = (await (await hookpost.api(`/apps/${appId}/events/${heldDelivery.eventId}/deliveries`)).json()) as {
      data: Array<Record<string, unknown>>;
    };
    const view = listed.data[0]!;
    expect(view).toMatchObject({ status: "pending", nextAttemptAt: null, failureReason: null });
    expect(view.heldSince).toEqual(expect.any(String));
    // So does its page, with when the endpoint is probed next and when the delivery would expire.
    const detail = await getDeliveryDetail(hookpost.db, appId, heldDelivery.id);
    expect(detail.nextAttemptAt).toBeNull();
    expect(detail.held?.since).toBe(view.heldSince);
    expect(typeof detail.held?.probeAt).toBe("string");
    expect(new Date(detail.held!.expiresAt!).getTime()).toBeGreaterThan(Date.now() + 2 * 86_400_000);

    // Someone asking is answered with a request all the same: a Retry, and a test event.
    const asked = requestsFor(events).length;
    const retry = await hookpost.api(`/apps/${appId}/deliveries/${heldDelivery.id}/retry`, { method: "POST" });
    expect(retry.status).toBe(202);
    await waitFor("the manual retry's request", () => (requestsFor(events).length > asked ? true : undefined));
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const producer = new DeliveryProducer(redis, hookpost.queuePrefix);
    const test = await sendTestEvent(hookpost.db, producer, createLogger("web"), appId, endpointId);
    await producer.queues[0]!.close();
    redis.disconnect();
    await waitFor("the test event's request", () => (requestsFor([test.eventId]).length > 0 ? true : undefined));

    // A restarted worker keeps the breaker open: no burst of sends.
    const before = requestsFor(events).length;
    await hookpost.stopWorker();
    await hookpost.startWorker();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(requestsFor(events).length - before).toBeLessThanOrEqual(1);
    const endpoint = await hookpost.db.endpoint.findUniqueOrThrow({ where: { id: endpointId } });
    expect(endpoint.probeAt).not.toBeNull();

    // The endpoint recovers; the next probe finds it, and every held delivery goes out within seconds of it.
    let recovered: number | undefined;
    receiver.respond((_request, _index, res) => {
      recovered ??= Date.now();
      res.writeHead(200).end("ok");
    });
    const probed = await waitFor("a probe answered 2xx", () => recovered, 60_000);
    await waitFor(
      "every held delivery to go out",
      async () =>
        (await hookpost.db.delivery.count({ where: { eventId: { in: events }, status: "succeeded" } })) ===
        events.length
          ? true
          : undefined,
      60_000,
    );
    expect(Date.now() - probed).toBeLessThan(10_000);
    const failed = await hookpost.db.delivery.count({
      where: { appId, eventId: { in: events }, status: { not: "succeeded" } },
    });
    expect(failed).toBe(0);
    expect(await hookpost.db.attempt.count({ where: { delivery: { appId, eventId: { in: events } } } })).toBe(
      requestsFor(events).length,
    );
  }, 120_000);

  it("fails a held delivery only when its deadline passes, and says so", async () => {
    receiver.respond(answer(500, "down"));
    const { appId, endpointId } = await createAppWithEndpoint();
    await sendEvents(appId, 12);
    const held = await waitFor("a delivery to be held", () =>
      hookpost.db.delivery
        .findFirst({ where: { appId, heldSince: { not: null }, nextAttemptJob: null } })
        .then((delivery) => delivery ?? undefined),
    );
    // Its first attempt was three days and a minute ago; it comes due now.
    await hookpost.db.delivery.update({
      where: { id: held.id },
      data: { firstAttemptAt: new Date(Date.now() - 3 * 86_400_000 - 60_000), nextAttemptAt: new Date() },
    });
    const failed = await waitFor("the held delivery to expire", () =>
      hookpost.db.delivery
        .findUniqueOrThrow({ where: { id: held.id } })
        .then((delivery) => (delivery.status === "failed" ? delivery : undefined)),
    );
    // Had a probe come due first, it was sent as the probe and expired when held next: either way, every attempt was sent.
    expect(failed.failureReason).toBe("expired while the endpoint was failing");
    expect(failed.attemptCount).toBe(requestsFor([failed.eventId]).length);
    const exhausted = await hookpost.db.operationalEvent.findFirst({
      where: { appId, type: "delivery.exhausted" },
    });
    expect(exhausted?.payload).toMatchObject({ deliveryId: held.id, endpointId });
    // The others still wait.
    expect(await hookpost.db.delivery.count({ where: { appId, status: "failed" } })).toBe(1);
  }, 60_000);
});
