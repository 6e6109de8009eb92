// The client against the running app (built web app and worker, real
// PostgreSQL and Redis), including a send whose answer is lost on the way
// back: the retry must get the same event, never a second one.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startHookpost, type RunningHookpost } from "../../../tests/support/hookpost";
import { answer, startReceiver, type TestReceiver } from "../../../tests/support/receiver";
import { freePort, waitFor } from "../../../tests/support/services";
import { Hookpost, HookpostConnectionError, HookpostError } from "../src/index";
import { startProxy, type Proxy } from "./support/proxy";

let hookpost: RunningHookpost;
let receiver: TestReceiver;
let client: Hookpost;
const proxies: Proxy[] = [];

beforeAll(async () => {
  [hookpost, receiver] = await Promise.all([startHookpost(), startReceiver(answer(200, "ok"))]);
  client = new Hookpost({ baseUrl: hookpost.baseUrl, apiKey: hookpost.apiKey });
});

afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

afterAll(async () => {
  await hookpost?.stop();
  await receiver?.close();
});

/** A client that reaches the app through a fresh proxy (a new origin, so its first request opens a new connection). */
async function throughProxy(options: { initialDelayMs?: number } = {}) {
  const proxy = await startProxy(Number(new URL(hookpost.baseUrl).port));
  proxies.push(proxy);
  return { proxy, client: new Hookpost({ baseUrl: proxy.url, apiKey: hookpost.apiKey, ...options }) };
}

const eventsOf = (appId: string) => hookpost.db.event.count({ where: { appId } });

describe("@hookpost/client", () => {
  it("sends an event and follows it to its attempts, through every resource", async () => {
    const app = await client.apps.create({ name: "Acme", uid: "acme" });
    expect(await client.apps.get("acme")).toEqual(app);
    expect((await client.apps.list({ limit: 10 })).data.map((a) => a.id)).toContain(app.id);
    expect((await client.apps.update("acme", { displayName: "Acme Billing" })).displayName).toBe("Acme Billing");

    await client.eventTypes.create("acme", { name: "invoice.paid", example: { invoice: 1 } });
    expect((await client.eventTypes.update("acme", "invoice.paid", { description: "Paid" })).description).toBe("Paid");
    await client.eventTypes.archive("acme", "invoice.paid");
    expect((await client.eventTypes.list("acme")).data).toEqual([]);
    expect((await client.eventTypes.list("acme", { includeArchived: true })).data).toHaveLength(1);
    expect((await client.eventTypes.get("acme", "invoice.paid")).archived).toBe(true);

    const endpoint = await client.endpoints.create("acme", { url: receiver.url, eventTypes: ["invoice.paid"] });
    expect(await client.endpoints.get("acme", endpoint.id)).toEqual(endpoint);
    expect((await client.endpoints.update("acme", endpoint.id, { description: "Billing" })).description).toBe(
      "Billing",
    );
    expect(await client.endpoints.setHeaders("acme", endpoint.id, { "X-Team": "billing" })).toEqual({
      "X-Team": "billing",
    });
    expect(await client.endpoints.headers("acme", endpoint.id)).toEqual({ "X-Team": "billing" });
    const secret = await client.endpoints.secret("acme", endpoint.id);
    expect(secret).toMatch(/^whsec_/);
    expect((await client.endpoints.rotateSecret("acme", endpoint.id)).key).not.toBe(secret);
    expect((await client.endpoints.list("acme")).data).toHaveLength(1);

    const event = await client.events.send(
      "acme",
      { eventType: "invoice.paid", payload: { invoice: 42 } },
      { idempotencyKey: "invoice-42" },
    );
    expect(event).toMatchObject({ eventType: "invoice.paid", payload: { invoice: 42 } });
    const again = await client.events.send(
      "acme",
      { eventType: "invoice.paid", payload: { invoice: 42 } },
      { idempotencyKey: "invoice-42" },
    );
    expect(again.id).toBe(event.id);
    expect(await eventsOf(app.id)).toBe(1);

    const [delivery] = (await client.events.deliveries("acme", event.id)).data;
    await hookpost.waitForSucceeded(app.id, 1, "the event's delivery");
    expect((await client.deliveries.attempts("acme", delivery!.id)).data).toHaveLength(1);
    await client.deliveries.retry("acme", delivery!.id);
    await waitFor("the retried attempt", async () =>
      (await client.deliveries.attempts("acme", delivery!.id)).data.length === 2 ? true : undefined,
    );
    expect((await client.portal.createLink("acme")).url).toContain("/portal/");
    await client.endpoints.delete("acme", endpoint.id);
    expect((await client.endpoints.list("acme")).data).toEqual([]);
  });

  it("throws the API's errors typed by code, with the field at fault", async () => {
    const notFound = await client.apps.get("nobody").catch((error: unknown) => error);
    expect(notFound).toBeInstanceOf(HookpostError);
    expect(notFound).toMatchObject({ status: 404, code: "not_found", message: "app not found" });
    const invalid = await client.apps.create({ name: "" }).catch((error: unknown) => error);
    expect(invalid).toMatchObject({ status: 422, code: "validation_error", field: "name" });
    const unauthorized = await new Hookpost({ baseUrl: hookpost.baseUrl, apiKey: "hp_wrong" }).apps
      .list()
      .catch((error: unknown) => error);
    expect(unauthorized).toMatchObject({ status: 401, code: "unauthorized" });
  });

  it("retries a send whose answer was lost, with the same generated key, creating one event", async () => {
    const app = await client.apps.create({ name: "Lost answers" });
    const { proxy, client: flaky } = await throughProxy({ initialDelayMs: 50 });
    proxy.dropNextAnswer();
    const event = await flaky.events.send(app.id, { eventType: "order.placed", payload: { order: 7 } });

    expect(proxy.connections()).toBe(2);
    const keys = proxy.idempotencyKeys();
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(await eventsOf(app.id)).toBe(1);
    const stored = await hookpost.db.event.findFirstOrThrow({ where: { appId: app.id } });
    expect(event.id).toBe(stored.id);
  });

  it("waits as long as Retry-After asks before trying a 429 again", async () => {
    const app = await client.apps.create({ name: "Throttled" });
    const { proxy, client: throttled } = await throughProxy({ initialDelayMs: 50 });
    proxy.throttleNext(1);
    const started = Date.now();
    const event = await throttled.events.send(
      app.id,
      { eventType: "order.placed", payload: {} },
      { idempotencyKey: "k-1" },
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(proxy.idempotencyKeys()).toEqual(["k-1", "k-1"]);
    expect(event.id).toBe((await hookpost.db.event.findFirstOrThrow({ where: { appId: app.id } })).id);
  });

  it("does not repeat a request that could act twice, and says when no answer came", async () => {
    const { proxy, client: flaky } = await throughProxy({ initialDelayMs: 50 });
    proxy.dropNextAnswer();
    const lost = await flaky.apps.create({ name: "Maybe created" }).catch((error: unknown) => error);
    expect(lost).toBeInstanceOf(HookpostConnectionError);
    expect(proxy.connections()).toBe(1);

    const nowhere = new Hookpost({
      baseUrl: `http://127.0.0.1:${await freePort()}`,
      apiKey: hookpost.apiKey,
      retries: 2,
      initialDelayMs: 10,
    });
    const refused = await nowhere.apps.list().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HookpostConnectionError);
    expect((refused as Error).message).toContain("after 3 attempt(s)");
  });
});
