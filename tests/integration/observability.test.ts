// Metrics move with deliveries, one trace spans API -> queue -> outbound
// request, and logs carry ids but no secrets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { startOtlpCollector } from "../support/otlp-collector";
import { seriesValue } from "../support/metrics";
import { answer, startReceiver, type TestReceiver } from "../support/receiver";
import { freePort, waitFor } from "../support/services";

const METRICS_TOKEN = "metrics-token-for-tests";
let hookpost: RunningHookpost;
let receiver: TestReceiver;
let collector: Awaited<ReturnType<typeof startOtlpCollector>>;
let workerMetricsUrl: string;

beforeAll(async () => {
  receiver = await startReceiver(answer(200, "ok"));
  collector = await startOtlpCollector();
  const workerPort = await freePort();
  workerMetricsUrl = `http://127.0.0.1:${workerPort}`;
  hookpost = await startHookpost({
    env: {
      METRICS_TOKEN,
      WORKER_METRICS_PORT: String(workerPort),
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_BSP_SCHEDULE_DELAY: "100",
    },
  });
});

afterAll(async () => {
  await hookpost?.stop();
  await receiver?.close();
  await collector?.close();
});

async function scrape(url: string): Promise<string> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  return response.text();
}

/** A counter not yet incremented is not exposed: it reads 0. */
const value = (metrics: string, series: string): number => seriesValue(metrics, series) ?? 0;

/** One event to a new endpoint, once its first attempt has succeeded (or, with "failed", been answered with a failure). */
async function deliverOne(
  firstAttempt: "succeeded" | "failed" = "succeeded",
): Promise<{ appId: string; eventId: string; secret: string }> {
  const app = (await (await hookpost.api("/apps", { body: { name: "Observed" } })).json()) as { id: string };
  const endpoint = (await (
    await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url: receiver.url } })
  ).json()) as {
    id: string;
  };
  const secret = (
    (await (await hookpost.api(`/apps/${app.id}/endpoints/${endpoint.id}/secret`)).json()) as {
      key: string;
    }
  ).key;
  const event = (await (
    await hookpost.api(`/apps/${app.id}/events`, { body: { eventType: "metric.test", payload: { n: 1 } } })
  ).json()) as { id: string };
  await waitFor(`the first attempt to have ${firstAttempt}`, async () => {
    const delivery = await hookpost.db.delivery.findFirst({ where: { eventId: event.id } });
    const settled = firstAttempt === "succeeded" ? delivery?.status === "succeeded" : delivery?.attemptCount === 1;
    return settled ? true : undefined;
  });
  return { appId: app.id, eventId: event.id, secret };
}

describe("metrics", () => {
  it("refuses scrapes without the token", async () => {
    expect((await fetch(`${hookpost.baseUrl}/api/metrics`)).status).toBe(401);
    expect((await fetch(`${workerMetricsUrl}/metrics`)).status).toBe(401);
  });

  it("move after a delivery, on the web and the worker", async () => {
    const attemptsSeries = 'hookpost_attempts_total{outcome="success",status_class="2xx",trigger="scheduled"}';
    const workerBefore = await scrape(`${workerMetricsUrl}/metrics`);
    const { appId } = await deliverOne();
    const web = await scrape(`${hookpost.baseUrl}/api/metrics`);
    expect(value(web, `hookpost_events_ingested_total{app="${appId}",outcome="accepted"}`)).toBe(1);
    expect(web).toContain("process_resident_memory_bytes");

    const workerAfter = await waitFor("worker metrics to move", async () => {
      const metrics = await scrape(`${workerMetricsUrl}/metrics`);
      return value(metrics, attemptsSeries) > value(workerBefore, attemptsSeries) ? metrics : undefined;
    });
    expect(value(workerAfter, 'hookpost_deliveries_completed_total{outcome="succeeded"}')).toBeGreaterThan(
      value(workerBefore, 'hookpost_deliveries_completed_total{outcome="succeeded"}'),
    );
    expect(value(workerAfter, "hookpost_ingest_to_first_attempt_seconds_count")).toBeGreaterThan(0);
    expect(value(workerAfter, 'hookpost_attempt_duration_seconds_count{status_class="2xx"}')).toBeGreaterThan(0);
    expect(workerAfter).toMatch(/hookpost_queue_jobs\{state="waiting"\} \d+/);
    // Bounded labels: neither event ids nor URLs become series.
    expect(workerAfter).not.toContain("msg_");
    expect(workerAfter).not.toContain("127.0.0.1");
  });

  it("count the deliveries waiting from their rows, on the web and the worker", async () => {
    receiver.respond(answer(500, "down"));
    await deliverOne("failed").finally(() => receiver.respond(answer(200, "ok")));
    // Its retry waits seconds ahead in its row, where no queue gauge sees it.
    for (const url of [`${hookpost.baseUrl}/api/metrics`, `${workerMetricsUrl}/metrics`]) {
      const metrics = await scrape(url);
      expect(value(metrics, "hookpost_retries_scheduled")).toBeGreaterThanOrEqual(1);
      expect(seriesValue(metrics, "hookpost_deliveries_due")).toBeGreaterThanOrEqual(0);
      expect(seriesValue(metrics, "hookpost_oldest_due_delivery_seconds")).toBeGreaterThanOrEqual(0);
    }
  });
});

describe("health", () => {
  it("reports liveness and readiness on both processes", async () => {
    expect((await fetch(`${hookpost.baseUrl}/api/health/live`)).status).toBe(200);
    const ready = await fetch(`${hookpost.baseUrl}/api/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: "ok",
      checks: { database: "ok", redis: "ok", redisEvictionPolicy: "ok" },
    });
    expect((await fetch(`${workerMetricsUrl}/health/live`)).status).toBe(200);
    expect((await fetch(`${workerMetricsUrl}/health/ready`)).status).toBe(200);
  });
});

describe("tracing and logs", () => {
  it("links the API span and the delivery span in one trace, and logs ids without secrets", async () => {
    const { eventId, secret } = await deliverOne();
    // The job span ends after the send span inside it, so it may arrive in a later export.
    const [ingest, send, job] = await waitFor("the API, job and send spans to be exported", () => {
      const ingestSpan = collector.spans.find(
        (s) => s.name === "event.ingest" && s.attributes["hookpost.event_id"] === eventId,
      );
      const sendSpan = collector.spans.find(
        (s) => s.name === "webhook.send" && s.attributes["hookpost.event_id"] === eventId,
      );
      const jobSpan = sendSpan && collector.spans.find((s) => s.spanId === sendSpan.parentSpanId);
      return ingestSpan && sendSpan && jobSpan ? ([ingestSpan, sendSpan, jobSpan] as const) : undefined;
    });
    expect(send.traceId).toBe(ingest.traceId);
    expect(ingest.service).toBe("hookpost-web");
    expect(send.service).toBe("hookpost-worker");
    expect(send.attributes["http.response.status_code"]).toBe(200);
    expect(job.name).toBe("delivery.first-attempt");
    expect(job.parentSpanId).toBe(ingest.spanId);

    // A failed attempt is logged at info; a successful one only at debug.
    receiver.respond(answer(500, "down"));
    const failed = await deliverOne("failed").finally(() => receiver.respond(answer(200, "ok")));
    const attemptLine = (id: string) => (line: string) => line.includes(id) && line.includes("attempt recorded");
    // Log lines are written in batches, up to 200 ms after they are made.
    const line = await waitFor("the failed attempt's log line", () =>
      hookpost.workerLogs().split("\n").find(attemptLine(failed.eventId)),
    );
    const logs = hookpost.workerLogs();
    const entry = JSON.parse(line) as Record<string, unknown>;
    expect(entry).toMatchObject({ service: "worker", eventId: failed.eventId, outcome: "retry", statusCode: 500 });
    expect(entry.deliveryId).toMatch(/^dlv_/);
    expect(entry.attemptId).toMatch(/^atm_/);
    expect(entry.endpointId).toMatch(/^ep_/);
    expect(entry.appId).toBe(failed.appId);
    expect(logs.split("\n").some(attemptLine(eventId))).toBe(false);
    for (const key of [secret, failed.secret]) {
      expect(logs).not.toContain(key);
      expect(logs).not.toContain(key.slice(6));
    }
  });
});
