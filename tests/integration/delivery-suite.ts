// The spine end to end: API -> database -> queue -> worker -> endpoint ->
// attempt log, against the real built app, worker, PostgreSQL and Redis.
// One suite, run on one Redis (delivery.test.ts) and on a Redis Cluster
// with the queue in shards (delivery-cluster.test.ts).
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listEndpointDeliveries } from "../../lib/dashboard/deliveries";
import { logFilterSchema } from "../../lib/dashboard/log-filter";
import { replayFailed } from "../../lib/deliveries/replay";
import { createLogger } from "../../lib/platform/logger";
import { DeliveryProducer } from "../../lib/queue/producer";
import { shardOf } from "../../lib/queue/shards";
import { createProducerConnection } from "../../lib/queue/redis";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { answer, startReceiver, type TestReceiver } from "../support/receiver";
import { REDIS_URL, waitFor } from "../support/services";

export interface DeliverySuiteOptions {
  /** Starts the Redis to run on, if the suite has one of its own. */
  redis: () => Promise<{ url?: string; shards: number; stop?: () => Promise<void> }>;
}

/** The running suite's Hookpost, for tests a file adds after the suite. */
export let hookpost: RunningHookpost;
export let receiver: TestReceiver;

export function deliverySuite(name: string, options: DeliverySuiteOptions) {
  let redis: Awaited<ReturnType<DeliverySuiteOptions["redis"]>>;

  beforeAll(async () => {
    redis = await options.redis();
    hookpost = await startHookpost({
      redisUrl: redis.url,
      env: { RETRY_SCHEDULE: "300ms,300ms,300ms", QUEUE_SHARDS: String(redis.shards) },
    });
    receiver = await startReceiver();
  });

  afterAll(async () => {
    await hookpost?.stop();
    await receiver?.close();
    await redis?.stop?.();
  });

  async function createAppWithEndpoint(url: string, endpoint: Record<string, unknown> = {}) {
    const app = (await (await hookpost.api("/apps", { body: { name: "Acme" } })).json()) as { id: string };
    const created = await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url, ...endpoint } });
    expect(created.status).toBe(201);
    const ep = (await created.json()) as { id: string };
    const secret = ((await (await hookpost.api(`/apps/${app.id}/endpoints/${ep.id}/secret`)).json()) as { key: string })
      .key;
    return { appId: app.id, endpointId: ep.id, secret };
  }

  async function sendEvent(appId: string, body: Record<string, unknown> = {}) {
    const response = await hookpost.api(`/apps/${appId}/events`, {
      body: { eventType: "invoice.paid", payload: { amount: 42 }, ...body },
    });
    expect(response.status).toBe(202);
    return (await response.json()) as { id: string; createdAt: string };
  }

  interface DeliveryView {
    id: string;
    endpointId: string;
    status: string;
    attemptCount: number;
    nextAttemptAt: string | null;
  }

  async function deliveriesOf(appId: string, eventId: string): Promise<DeliveryView[]> {
    const response = await hookpost.api(`/apps/${appId}/events/${eventId}/deliveries`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { data: DeliveryView[] }).data;
  }

  async function settled(appId: string, eventId: string, status: string): Promise<DeliveryView> {
    return waitFor(`delivery of ${eventId} to be ${status}`, async () => {
      const [delivery] = await deliveriesOf(appId, eventId);
      return delivery?.status === status ? delivery : undefined;
    });
  }

  describe(name, () => {
    it("sends a payload that the standardwebhooks package verifies", async () => {
      receiver.respond(answer(200, "thanks"));
      const { appId, secret } = await createAppWithEndpoint(receiver.url);
      const event = await sendEvent(appId, { payload: { amount: 42, currency: "EUR" } });
      await settled(appId, event.id, "succeeded");

      const request = receiver.requests.find((r) => r.headers["webhook-id"] === event.id);
      expect(request).toBeDefined();
      const headers = request!.headers as Record<string, string>;
      expect(headers["content-type"]).toBe("application/json");
      expect(headers["user-agent"]).toMatch(/^Hookpost\/\d+\.\d+\.\d+$/);
      const verified = new Webhook(secret).verify(request!.body, headers);
      expect(verified).toEqual({
        type: "invoice.paid",
        timestamp: event.createdAt,
        data: { amount: 42, currency: "EUR" },
      });
      // A tampered body does not verify.
      expect(() => new Webhook(secret).verify(request!.body.replace("42", "43"), headers)).toThrow();
    });

    it("retries a failing endpoint and records every attempt, newest first", async () => {
      // Each event fails twice, then succeeds.
      receiver.respond((request, _index, res) => {
        const copies = receiver.requests.filter(
          (r) => r.headers["webhook-id"] === request.headers["webhook-id"],
        ).length;
        if (copies <= 2) res.writeHead(500).end("boom");
        else res.writeHead(200).end("ok");
      });
      const { appId } = await createAppWithEndpoint(receiver.url);
      const event = await sendEvent(appId);
      const delivery = await settled(appId, event.id, "succeeded");
      expect(delivery.attemptCount).toBe(3);
      expect(delivery.nextAttemptAt).toBeNull();

      const attempts = (await (await hookpost.api(`/apps/${appId}/deliveries/${delivery.id}/attempts`)).json()) as {
        data: Array<{
          responseStatusCode: number;
          responseBody: string;
          trigger: string;
          durationMs: number;
          error: null;
        }>;
        nextCursor: string | null;
      };
      expect(attempts.data.map((a) => a.responseStatusCode)).toEqual([200, 500, 500]);
      expect(attempts.data.map((a) => a.responseBody)).toEqual(["ok", "boom", "boom"]);
      expect(attempts.data.every((a) => a.trigger === "scheduled" && a.durationMs >= 0 && a.error === null)).toBe(true);
      expect(attempts.nextCursor).toBeNull();

      const copies = receiver.requests.filter((r) => r.headers["webhook-id"] === event.id);
      expect(copies).toHaveLength(3);
    });

    it("marks a delivery failed when the schedule is exhausted, and a manual retry that succeeds settles it", async () => {
      receiver.respond(answer(503, "down"));
      const { appId } = await createAppWithEndpoint(receiver.url);
      const event = await sendEvent(appId);
      const failed = await settled(appId, event.id, "failed");
      // First attempt plus three scheduled retries.
      expect(failed.attemptCount).toBe(4);
      expect(failed.nextAttemptAt).toBeNull();

      receiver.respond(answer(204));
      const retry = await hookpost.api(`/apps/${appId}/deliveries/${failed.id}/retry`, { method: "POST" });
      expect(retry.status).toBe(202);
      const succeeded = await settled(appId, event.id, "succeeded");
      expect(succeeded.attemptCount).toBe(5);
      const attempts = (await (
        await hookpost.api(`/apps/${appId}/deliveries/${failed.id}/attempts?limit=2`)
      ).json()) as {
        data: Array<{ trigger: string; responseStatusCode: number }>;
        nextCursor: string | null;
      };
      expect(attempts.data[0]).toMatchObject({ trigger: "manual", responseStatusCode: 204 });
      expect(attempts.nextCursor).not.toBeNull();
      const rest = (await (
        await hookpost.api(`/apps/${appId}/deliveries/${failed.id}/attempts?limit=2&cursor=${attempts.nextCursor}`)
      ).json()) as { data: unknown[] };
      expect(rest.data).toHaveLength(2);
    });

    it("keeps a delivery succeeded, and under the log's 2xx filter, when a later manual retry of it fails", async () => {
      receiver.respond(answer(204));
      const { appId, endpointId } = await createAppWithEndpoint(receiver.url);
      const event = await sendEvent(appId);
      const delivered = await settled(appId, event.id, "succeeded");

      receiver.respond(answer(500, "broken since"));
      const retry = await hookpost.api(`/apps/${appId}/deliveries/${delivered.id}/retry`, { method: "POST" });
      expect(retry.status).toBe(202);
      await waitFor("the manual attempt", async () => {
        const [delivery] = await deliveriesOf(appId, event.id);
        return delivery?.attemptCount === 2 ? delivery : undefined;
      });
      const [after] = await deliveriesOf(appId, event.id);
      expect(after!.status).toBe("succeeded");
      const log = async (code: string) =>
        (
          await listEndpointDeliveries(hookpost.db, appId, endpointId, logFilterSchema.parse({ code }))
        ).data.map((row) => row.id);
      expect(await log("2xx")).toEqual([delivered.id]);
      expect(await log("204")).toEqual([delivered.id]);
      expect(await log("200")).toEqual([]);
      expect(await log("5xx")).toEqual([delivered.id]);
    });

    it("honours Retry-After on 429 instead of the schedule", async () => {
      receiver.respond((_request, _index, res) => res.writeHead(429, { "retry-after": "2" }).end());
      const { appId } = await createAppWithEndpoint(receiver.url);
      const event = await sendEvent(appId);
      const delivery = await waitFor("the first attempt", async () => {
        const [d] = await deliveriesOf(appId, event.id);
        return d && d.attemptCount === 1 ? d : undefined;
      });
      const attempts = (await (await hookpost.api(`/apps/${appId}/deliveries/${delivery.id}/attempts`)).json()) as {
        data: Array<{ createdAt: string; durationMs: number }>;
      };
      const attempt = attempts.data[0]!;
      // Due 2 s after the attempt ended (not the schedule's 300 ms), measured
      // from the database rather than this test's clock, which a busy machine delays.
      const wait = new Date(delivery.nextAttemptAt!).getTime() - new Date(attempt.createdAt).getTime();
      expect(wait).toBeGreaterThanOrEqual(2000);
      expect(wait).toBeLessThanOrEqual(2000 + attempt.durationMs + 250);
      receiver.respond(answer(200));
      await settled(appId, event.id, "succeeded");
    });

    it("disables an endpoint that answers 410 Gone and stops retrying", async () => {
      receiver.respond(answer(410, "gone"));
      const { appId, endpointId } = await createAppWithEndpoint(receiver.url);
      const event = await sendEvent(appId);
      const delivery = await settled(appId, event.id, "failed");
      expect(delivery.attemptCount).toBe(1);
      const endpoint = (await (await hookpost.api(`/apps/${appId}/endpoints/${endpointId}`)).json()) as {
        disabled: boolean;
      };
      expect(endpoint.disabled).toBe(true);
      // A disabled endpoint gets no new deliveries.
      const next = await sendEvent(appId);
      expect(await deliveriesOf(appId, next.id)).toEqual([]);
    });

    it("records a connection error class when nothing listens", async () => {
      const { appId } = await createAppWithEndpoint("http://127.0.0.1:9/unreachable");
      const event = await sendEvent(appId);
      const delivery = await settled(appId, event.id, "failed");
      const attempts = (await (await hookpost.api(`/apps/${appId}/deliveries/${delivery.id}/attempts`)).json()) as {
        data: Array<{ error: string; responseStatusCode: number | null }>;
      };
      expect(attempts.data[0]).toMatchObject({ error: "connection_refused", responseStatusCode: null });
    });

    it("sends each event of a burst exactly once, though the endpoint's cap refuses most of each batch", async () => {
      // Slow enough that a batch's attempts find the endpoint at its cap of 10.
      receiver.respond((_request, _index, res) => void setTimeout(() => res.writeHead(200).end(), 150));
      const { appId } = await createAppWithEndpoint(receiver.url);
      const events = await Promise.all(Array.from({ length: 40 }, (_, n) => sendEvent(appId, { payload: { n } })));
      await hookpost.waitForSucceeded(appId, events.length, "every event of the burst to be delivered", 30_000);
      const copies = receiver.requests.filter((r) => events.some((event) => event.id === r.headers["webhook-id"]));
      expect(copies).toHaveLength(events.length);
      expect(await hookpost.db.attempt.count({ where: { delivery: { appId } } })).toBe(events.length);
    });

    it("only sends an event to endpoints subscribed to its type", async () => {
      receiver.respond(answer(200));
      const { appId, endpointId } = await createAppWithEndpoint(receiver.url, { eventTypes: ["user.created"] });
      const catchAll = (await (
        await hookpost.api(`/apps/${appId}/endpoints`, { body: { url: receiver.url } })
      ).json()) as { id: string };
      const event = await sendEvent(appId, { eventType: "invoice.paid" });
      const deliveries = await deliveriesOf(appId, event.id);
      expect(deliveries.map((d) => d.endpointId)).toEqual([catchAll.id]);
      const subscribed = await sendEvent(appId, { eventType: "user.created" });
      expect((await deliveriesOf(appId, subscribed.id)).map((d) => d.endpointId).sort()).toEqual(
        [endpointId, catchAll.id].sort(),
      );
    });

    it("signs with every rotated-out secret until its own overlap ends, at most five at once", async () => {
      receiver.respond(answer(200));
      const { appId, endpointId, secret: first } = await createAppWithEndpoint(receiver.url);
      interface Rotated {
        key: string;
        previousSecretExpiresAt: string;
        previousSecrets: Array<{ expiresAt: string }>;
        droppedSecrets: Array<{ expiresAt: string }>;
      }
      const rotate = async () => {
        const response = await hookpost.api(`/apps/${appId}/endpoints/${endpointId}/secret/rotate`, { method: "POST" });
        expect(response.status).toBe(200);
        return (await response.json()) as Rotated;
      };
      /** The signatures of a fresh delivery, in the header's order, with what the receiver got. */
      const deliver = async () => {
        const event = await sendEvent(appId);
        await settled(appId, event.id, "succeeded");
        const request = receiver.requests.find((r) => r.headers["webhook-id"] === event.id)!;
        const headers = request.headers as Record<string, string>;
        return { body: request.body, headers, signatures: headers["webhook-signature"]!.split(" ") };
      };
      /**
       * The request carries exactly these secrets' signatures, in this order,
       * each verifying alone as it does for a receiver that knows one secret.
       */
      const expectSignedBy = (received: Awaited<ReturnType<typeof deliver>>, secrets: string[]) => {
        expect(received.signatures).toHaveLength(secrets.length);
        secrets.forEach((secret, index) => {
          const headers = { ...received.headers, "webhook-signature": received.signatures[index]! };
          expect(() => new Webhook(secret).verify(received.body, headers), `secret ${index}`).not.toThrow();
        });
      };

      // Three rotations within the overlap: each replaced secret keeps its own.
      const rotations = [await rotate(), await rotate(), await rotate()];
      const [second, third, current] = rotations.map((r) => r.key) as [string, string, string];
      expect(new Set([first, second, third, current]).size).toBe(4);
      const shown = (await (await hookpost.api(`/apps/${appId}/endpoints/${endpointId}/secret`)).json()) as {
        key: string;
      };
      expect(shown.key).toBe(current);

      // Current first, then the rotated-out ones newest first; each of the
      // four verifies the request with the standardwebhooks package.
      const four = await deliver();
      expectSignedBy(four, [current, third, second, first]);
      for (const secret of [current, third, second, first]) {
        expect(() => new Webhook(secret).verify(four.body, four.headers)).not.toThrow();
      }
      expect(rotations.map((r) => r.previousSecrets.length)).toEqual([1, 2, 3]);
      expect(rotations.flatMap((r) => r.droppedSecrets)).toEqual([]);

      // The first secret's overlap ends (its stored expiry moved to the past,
      // rather than waiting out SECRET_ROTATION_OVERLAP): its signature is
      // gone from the next request and the worker prunes it from the row.
      await hookpost.db.$executeRaw`
      UPDATE endpoints SET previous_secrets = jsonb_set(previous_secrets, '{2,expiresAt}',
        to_jsonb(to_char(now() AT TIME ZONE 'UTC' - interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
      WHERE id = ${endpointId}`;
      const three = await deliver();
      expectSignedBy(three, [current, third, second]);
      expect(() => new Webhook(first).verify(three.body, three.headers)).toThrow();
      await waitFor("the expired secret to be pruned", async () => {
        const endpoint = await hookpost.db.endpoint.findUniqueOrThrow({ where: { id: endpointId } });
        return (endpoint.previousSecrets as unknown[]).length === 2 ? true : undefined;
      });

      // Three more: the third of them would make a fifth rotated-out secret,
      // so the oldest still signing (the second secret) stops, and the
      // answer says so.
      const more = [await rotate(), await rotate(), await rotate()];
      expect(more.map((r) => r.previousSecrets.length)).toEqual([3, 4, 4]);
      expect(more[2]!.droppedSecrets).toEqual([rotations[1]!.previousSecrets[0]]);
      const five = await deliver();
      const [fourth, fifth, sixth] = more.map((r) => r.key) as [string, string, string];
      expectSignedBy(five, [sixth, fifth, fourth, current, third]);
      expect(() => new Webhook(second).verify(five.body, five.headers)).toThrow();
    });

    it("fans events out to endpoints in every queue shard, each delivery once", async () => {
      receiver.respond(answer(200));
      const { appId, endpointId } = await createAppWithEndpoint(receiver.url);
      // Six endpoints or more, at least one in each shard.
      const shards = new Set([shardOf(endpointId, redis.shards)]);
      for (let n = 1; n < 6 || shards.size < redis.shards; n++) {
        const created = await hookpost.api(`/apps/${appId}/endpoints`, { body: { url: `${receiver.url}?n=${n}` } });
        expect(created.status).toBe(201);
        shards.add(shardOf(((await created.json()) as { id: string }).id, redis.shards));
      }
      const endpoints = await hookpost.db.endpoint.count({ where: { appId } });
      const events = await Promise.all(Array.from({ length: 10 }, (_, n) => sendEvent(appId, { payload: { n } })));
      await hookpost.waitForSucceeded(appId, events.length * endpoints, "every event at every endpoint");
      for (const event of events) {
        expect(receiver.requests.filter((r) => r.headers["webhook-id"] === event.id)).toHaveLength(endpoints);
      }
    });

    it("replays an endpoint's failed deliveries through the queue", async () => {
      receiver.respond(answer(500, "down"));
      const { appId, endpointId } = await createAppWithEndpoint(receiver.url);
      const from = new Date(Date.now() - 1_000).toISOString();
      const events = [await sendEvent(appId), await sendEvent(appId)];
      for (const event of events) await settled(appId, event.id, "failed");

      receiver.respond(answer(200));
      const logger = createLogger("web");
      const connection = createProducerConnection(redis.url ?? REDIS_URL, logger);
      const producer = new DeliveryProducer(connection, hookpost.queuePrefix, redis.shards);
      try {
        const replayed = await replayFailed(
          { db: hookpost.db, producer },
          { kind: "operator", email: "ops@example.test", role: "admin" },
          { appId, endpointId, from, to: new Date().toISOString(), eventTypes: [] },
        );
        expect(replayed.queued).toBe(2);
      } finally {
        await producer.close();
        connection.disconnect();
      }
      for (const event of events) {
        const delivery = await settled(appId, event.id, "succeeded");
        expect(delivery.attemptCount).toBe(5);
      }
    });
  });
}
