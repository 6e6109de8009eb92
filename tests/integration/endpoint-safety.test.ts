// Endpoint safety: custom headers that cannot override the protocol, a
// per-endpoint rate limit, auto-disable of endpoints that keep failing, and
// operational events posted to the operator.
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSecret } from "@/lib/sending/signing";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { answer, startReceiver, type TestReceiver } from "../support/receiver";
import { waitFor } from "../support/services";

const operatorSecret = generateSecret();
let hookpost: RunningHookpost;
let receiver: TestReceiver;
let operator: TestReceiver;

beforeAll(async () => {
  receiver = await startReceiver();
  operator = await startReceiver(answer(204));
  hookpost = await startHookpost({
    env: {
      // A delivery exhausts its schedule in about a second, well before an
      // endpoint's failures have lasted long enough to disable it.
      RETRY_SCHEDULE: "300ms,300ms,300ms",
      ENDPOINT_DISABLE_AFTER: "2s",
      OPERATOR_WEBHOOK_URL: operator.url,
      OPERATOR_WEBHOOK_SECRET: operatorSecret,
    },
  });
});

afterAll(async () => {
  await hookpost?.stop();
  await receiver?.close();
  await operator?.close();
});

async function endpointFor(url: string, extra: Record<string, unknown> = {}) {
  const app = (await (await hookpost.api("/apps", { body: { name: "Safety" } })).json()) as { id: string };
  const response = await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url, ...extra } });
  expect(response.status).toBe(201);
  return { appId: app.id, endpointId: ((await response.json()) as { id: string }).id };
}

async function send(appId: string, n = 1): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const response = await hookpost.api(`/apps/${appId}/events`, { body: { eventType: "a", payload: { i } } });
    expect(response.status).toBe(202);
    ids.push(((await response.json()) as { id: string }).id);
  }
  return ids;
}

function operatorEvents(type: string) {
  return operator.requests
    .map((request) => {
      const verified = new Webhook(operatorSecret).verify(request.body, request.headers as Record<string, string>);
      return verified as { type: string; data: Record<string, unknown> };
    })
    .filter((event) => event.type === type);
}

describe("custom endpoint headers", () => {
  it("are sent, masked in the attempt log, and cannot override protocol headers", async () => {
    receiver.respond(answer(200));
    const { appId, endpointId } = await endpointFor(receiver.url);
    const path = `/apps/${appId}/endpoints/${endpointId}/headers`;
    for (const headers of [
      { Host: "evil.example" },
      { "Content-Length": "1" },
      { "Transfer-Encoding": "chunked" },
      { "content-type": "text/plain" },
      { "Webhook-Signature": "v1,forged" },
      { "X-Token": "a\r\nX-Injected: 1" },
      { "Bad Name": "x" },
    ]) {
      const response = await hookpost.api(path, { method: "PUT", body: { headers } });
      expect(response.status, JSON.stringify(headers)).toBe(422);
      expect(((await response.json()) as { error: { field: string } }).error.field).toMatch(/^headers/);
    }
    expect(await (await hookpost.api(path)).json()).toEqual({ headers: {} });

    const put = await hookpost.api(path, { method: "PUT", body: { headers: { "X-Gateway-Token": "s3cret-token" } } });
    expect(put.status).toBe(200);
    const [eventId] = await send(appId);
    const delivered = await waitFor("the delivery", () =>
      receiver.requests.find((r) => r.headers["webhook-id"] === eventId),
    );
    expect(delivered.headers["x-gateway-token"]).toBe("s3cret-token");
    const attempt = await waitFor("the attempt row", () =>
      hookpost.db.attempt.findFirst({ where: { delivery: { eventId } } }).then((a) => a ?? undefined),
    );
    expect(JSON.stringify(attempt.requestHeaders)).not.toContain("s3cret-token");
    expect((attempt.requestHeaders as Record<string, string>)["X-Gateway-Token"]).toBe("[redacted]");
  });
});

describe("rate limit", () => {
  it("sends at most rateLimit deliveries per second to the endpoint", async () => {
    receiver.respond(answer(200));
    const { appId, endpointId } = await endpointFor(receiver.url, { rateLimit: 2 });
    const endpoint = (await (await hookpost.api(`/apps/${appId}/endpoints/${endpointId}`)).json()) as {
      rateLimit: number;
    };
    expect(endpoint.rateLimit).toBe(2);
    const ids = await send(appId, 8);
    await hookpost.waitForSucceeded(appId, 8, "all eight deliveries", 20_000);
    const arrivals = receiver.requests
      .filter((r) => ids.includes(r.headers["webhook-id"] as string))
      .map((r) => r.receivedAt)
      .sort((a, b) => a - b);
    expect(arrivals).toHaveLength(8);
    // No one-second span holds three: any three in a row are a second apart,
    // less what the time from the worker to this receiver varies by.
    const spans = arrivals.slice(2).map((arrival, i) => arrival - arrivals[i]!);
    expect(Math.min(...spans)).toBeGreaterThan(900);
  });
});

describe("auto-disable and operational events", () => {
  it("disables an endpoint that keeps failing, keeps its events, and tells the operator", async () => {
    receiver.respond(answer(500, "still broken"));
    const { appId, endpointId } = await endpointFor(receiver.url);
    const [eventId] = await send(appId);
    // Keep events coming so the endpoint keeps failing past ENDPOINT_DISABLE_AFTER.
    const disabled = await waitFor(
      "the endpoint to be disabled",
      async () => {
        const endpoint = await hookpost.db.endpoint.findUnique({ where: { id: endpointId } });
        if (endpoint?.disabled) return endpoint;
        await send(appId);
        return undefined;
      },
      20_000,
    );
    expect(disabled.disabledReason).toMatch(/^failing since .* \(last error: 5xx\)$/);
    // The event is kept; its delivery is failed, ready for a replay after re-enabling.
    expect(await hookpost.db.event.count({ where: { id: eventId } })).toBe(1);
    await waitFor("the delivery to be settled", async () => {
      const delivery = await hookpost.db.delivery.findFirst({ where: { eventId } });
      return delivery?.status === "failed" ? true : undefined;
    });

    const notice = await waitFor("the operator to hear of it", () =>
      operatorEvents("endpoint.disabled").find((e) => e.data.endpointId === endpointId),
    );
    expect(notice.data.reason).toBe(disabled.disabledReason);
    expect(await hookpost.db.operationalEvent.count({ where: { appId, type: "endpoint.disabled" } })).toBe(1);

    // Re-enabling clears the failure streak.
    await hookpost.api(`/apps/${appId}/endpoints/${endpointId}`, { method: "PATCH", body: { disabled: false } });
    const enabled = await hookpost.db.endpoint.findUnique({ where: { id: endpointId } });
    expect(enabled).toMatchObject({ disabled: false, failingSince: null, disabledReason: null });
  });

  it("disables at once on 410 and reports exhausted deliveries", async () => {
    receiver.respond(answer(410));
    const gone = await endpointFor(receiver.url);
    await send(gone.appId);
    await waitFor("the 410 notice", () =>
      operatorEvents("endpoint.disabled").find((e) => e.data.endpointId === gone.endpointId),
    );

    // An endpoint that fails only briefly exhausts a delivery without being disabled.
    receiver.respond(answer(503));
    const { appId, endpointId } = await endpointFor(receiver.url);
    const [eventId] = await send(appId);
    const exhausted = await waitFor(
      "the exhausted notice",
      () => operatorEvents("delivery.exhausted").find((e) => e.data.eventId === eventId),
      20_000,
    );
    expect(exhausted.data).toMatchObject({ endpointId, attempts: 4, lastStatus: "5xx" });
    expect((await hookpost.db.endpoint.findUnique({ where: { id: endpointId } }))?.disabled).toBe(false);
  });
});
