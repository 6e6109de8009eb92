// A producer's W3C trace reaches the consumer: the webhook request carries a
// traceparent in the producer's trace whose parent is the worker's
// `webhook.send` span, on the first attempt and on a retry made by a
// restarted worker, and the attempt log keeps the trace id (API and
// dashboard). With tracing export off, the producer's traceparent is passed
// on as it came. A request without one gets none, as before.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { signInOverHttp } from "../support/http-session";
import { startOtlpCollector } from "../support/otlp-collector";
import { answer, startReceiver, type ReceivedRequest, type TestReceiver } from "../support/receiver";
import { waitFor } from "../support/services";

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

/** A producer's traceparent: a new trace id and the producer's span id. */
function producerTrace() {
  const traceId = hex(16);
  const spanId = hex(8);
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

function parseTraceparent(header: string | string[] | undefined) {
  const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(String(header));
  if (!match) throw new Error(`not a traceparent: ${String(header)}`);
  return { traceId: match[1]!, parentId: match[2]!, flags: match[3]! };
}

async function setUp(hookpost: RunningHookpost, receiver: TestReceiver) {
  const app = (await (await hookpost.api("/apps", { body: { name: "Traced" } })).json()) as { id: string };
  const endpoint = await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url: receiver.url } });
  expect(endpoint.status).toBe(201);
  return app.id;
}

async function send(hookpost: RunningHookpost, appId: string, headers: Record<string, string> = {}) {
  const response = await hookpost.api(`/apps/${appId}/events`, {
    body: { eventType: "trace.test", payload: { n: 1 } },
    headers,
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

function requestsFor(receiver: TestReceiver, eventId: string): ReceivedRequest[] {
  return receiver.requests.filter((request) => request.headers["webhook-id"] === eventId);
}

async function attemptsOf(hookpost: RunningHookpost, appId: string, eventId: string) {
  const deliveries = (await (await hookpost.api(`/apps/${appId}/events/${eventId}/deliveries`)).json()) as {
    data: Array<{ id: string }>;
  };
  const deliveryId = deliveries.data[0]!.id;
  const attempts = (await (await hookpost.api(`/apps/${appId}/deliveries/${deliveryId}/attempts`)).json()) as {
    data: Array<{ id: string; traceId: string | null; responseStatusCode: number | null }>;
  };
  return { deliveryId, attempts: attempts.data };
}

describe("with tracing exported", () => {
  let hookpost: RunningHookpost;
  let receiver: TestReceiver;
  let collector: Awaited<ReturnType<typeof startOtlpCollector>>;

  beforeAll(async () => {
    receiver = await startReceiver(answer(200, "ok"));
    collector = await startOtlpCollector();
    hookpost = await startHookpost({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        OTEL_BSP_SCHEDULE_DELAY: "100",
        RETRY_SCHEDULE: "1s,1s",
      },
    });
  }, 60_000);

  afterAll(async () => {
    await hookpost?.stop();
    await receiver?.close();
    await collector?.close();
  });

  const sendSpan = (spanId: string) =>
    waitFor(`the webhook.send span ${spanId} to be exported`, () =>
      collector.spans.find((span) => span.name === "webhook.send" && span.spanId === spanId),
    );

  it("continues the producer's trace to the consumer, on a retry by a restarted worker too", async () => {
    const appId = await setUp(hookpost, receiver);
    const producer = producerTrace();
    // The first attempt fails; the worker is restarted before the retry.
    receiver.respond((_request, _index, res) => res.writeHead(500).end("down"));
    const eventId = await send(hookpost, appId, { traceparent: producer.traceparent, tracestate: "vendor=abc" });
    await waitFor("the first attempt", () => (requestsFor(receiver, eventId).length === 1 ? true : undefined));
    await waitFor("the first attempt to be recorded", async () =>
      (await hookpost.db.attempt.count({ where: { delivery: { eventId } } })) === 1 ? true : undefined,
    );
    await hookpost.stopWorker();
    receiver.respond(answer(200, "ok"));
    await hookpost.startWorker();
    await waitFor("the retry", () => (requestsFor(receiver, eventId).length === 2 ? true : undefined));

    const [first, retry] = requestsFor(receiver, eventId).map((request) =>
      parseTraceparent(request.headers.traceparent),
    );
    for (const request of requestsFor(receiver, eventId)) expect(request.headers.tracestate).toBe("vendor=abc");
    expect(first!.traceId).toBe(producer.traceId);
    expect(retry!.traceId).toBe(producer.traceId);
    expect(first!.parentId).not.toBe(retry!.parentId);

    // Each consumer's parent is the worker's send span of that attempt, in the producer's trace.
    const firstSend = await sendSpan(first!.parentId);
    const retrySend = await sendSpan(retry!.parentId);
    for (const span of [firstSend, retrySend]) {
      expect(span.service).toBe("hookpost-worker");
      expect(span.traceId).toBe(producer.traceId);
      expect(span.attributes["hookpost.event_id"]).toBe(eventId);
    }
    const ingest = collector.spans.find(
      (span) => span.name === "event.ingest" && span.attributes["hookpost.event_id"] === eventId,
    );
    expect(ingest?.traceId).toBe(producer.traceId);
    // The retry's send span hangs off the request that created the event.
    expect(retrySend.parentSpanId).toBe(ingest!.spanId);

    const { deliveryId, attempts } = await attemptsOf(hookpost, appId, eventId);
    expect(attempts.map((attempt) => attempt.traceId)).toEqual([producer.traceId, producer.traceId]);
    const stored = await hookpost.db.attempt.findMany({ where: { deliveryId } });
    for (const attempt of stored) {
      expect((attempt.requestHeaders as Record<string, string>).traceparent).toMatch(
        new RegExp(`^00-${producer.traceId}-`),
      );
    }

    // The dashboard's delivery page shows it.
    const user = await hookpost.createUser("viewer");
    const { cookie } = await signInOverHttp(hookpost.baseUrl, user.email, user.password);
    const page = await fetch(`${hookpost.baseUrl}/apps/${appId}/deliveries/${deliveryId}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(new RegExp(`data-testid="trace-id"[^<]*<span[^>]*>${producer.traceId}<`));
  }, 60_000);

  it("sends no traceparent when the producer sent none, or a malformed one", async () => {
    const appId = await setUp(hookpost, receiver);
    const plain = await send(hookpost, appId);
    const malformed = await send(hookpost, appId, { traceparent: "00-not-a-trace-01" });
    await waitFor("both webhooks", () =>
      requestsFor(receiver, plain).length === 1 && requestsFor(receiver, malformed).length === 1 ? true : undefined,
    );
    for (const eventId of [plain, malformed]) {
      const [request] = requestsFor(receiver, eventId);
      expect(request!.headers.traceparent).toBeUndefined();
      expect(request!.headers.tracestate).toBeUndefined();
    }
    const stored = await hookpost.db.event.findMany({ where: { id: { in: [plain, malformed] } } });
    expect(stored.map((event) => event.traceParent)).toEqual([null, null]);
  }, 30_000);
});

describe("with tracing export off", () => {
  let hookpost: RunningHookpost;
  let receiver: TestReceiver;

  beforeAll(async () => {
    receiver = await startReceiver(answer(200, "ok"));
    hookpost = await startHookpost({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: "" } });
  }, 60_000);

  afterAll(async () => {
    await hookpost?.stop();
    await receiver?.close();
  });

  it("passes the producer's traceparent on as it came, and keeps its trace id", async () => {
    const appId = await setUp(hookpost, receiver);
    const producer = producerTrace();
    const eventId = await send(hookpost, appId, { traceparent: producer.traceparent });
    await waitFor("the webhook", () => (requestsFor(receiver, eventId).length === 1 ? true : undefined));
    const [request] = requestsFor(receiver, eventId);
    expect(request!.headers.traceparent).toBe(producer.traceparent);
    expect(request!.headers.tracestate).toBeUndefined();
    await waitFor("the attempt to be recorded", async () => {
      const { attempts } = await attemptsOf(hookpost, appId, eventId);
      return attempts.length === 1 ? true : undefined;
    });
    const { attempts } = await attemptsOf(hookpost, appId, eventId);
    expect(attempts[0]!.traceId).toBe(producer.traceId);

    const plain = await send(hookpost, appId);
    await waitFor("the plain webhook", () => (requestsFor(receiver, plain).length === 1 ? true : undefined));
    expect(requestsFor(receiver, plain)[0]!.headers.traceparent).toBeUndefined();
  }, 30_000);
});
