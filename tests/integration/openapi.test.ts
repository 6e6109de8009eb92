// The OpenAPI document against the running app: it is valid OpenAPI 3.1,
// it describes every /api/v1 route and method and no other, and every
// route's real answers, successes and errors alike, match what it says
// of them (status listed, body valid against the schema). The call table
// must name every declared route: a route added without calls fails here.
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { declaredRoutes } from "../support/api-routes";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { answer, startReceiver, type TestReceiver } from "../support/receiver";
import { waitFor } from "../support/services";

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

interface Document {
  openapi: string;
  paths: Record<string, Partial<Record<(typeof METHODS)[number], OperationDoc>>>;
}

interface OperationDoc {
  security?: unknown[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { content?: Record<string, unknown> }>;
}

/** "/apps/{appId}/endpoints" + "post" as declaredRoutes() names it: "apps/[appId]/endpoints POST". */
function routeKey(path: string, method: string): string {
  return `${path.slice(1).replace(/\{(\w+)\}/g, "[$1]")} ${method.toUpperCase()}`;
}

/** A JSON pointer into the document, as a URI fragment Ajv resolves. */
function pointer(...segments: string[]): string {
  return `openapi.json#/${segments.map((s) => encodeURIComponent(s.replace(/~/g, "~0").replace(/\//g, "~1"))).join("/")}`;
}

interface Call {
  route: string;
  method: string;
  path: string;
  status: number;
  /** Sent as JSON, unless `raw` is given. */
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  /** Sent without the API key. */
  anonymous?: boolean;
}

interface Checked {
  route: string;
  status: number;
}

let hookpost: RunningHookpost;
let receiver: TestReceiver;
let document: Document;
let ajv: Ajv2020;
const validators = new Map<string, ValidateFunction>();
const checked: Checked[] = [];

beforeAll(async () => {
  [hookpost, receiver] = await Promise.all([startHookpost(), startReceiver(answer(200, "ok"))]);
  const response = await fetch(`${hookpost.baseUrl}/api/v1/openapi.json`);
  expect(response.status).toBe(200);
  document = (await response.json()) as Document;
  ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema(document, "openapi.json");
});

afterAll(async () => {
  await hookpost?.stop();
  await receiver?.close();
});

function validatorAt(ref: string): ValidateFunction {
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    validators.set(ref, validate);
  }
  return validate;
}

function operationOf(route: string): { path: string; method: string; operation: OperationDoc } {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation && routeKey(path, method) === route) return { path, method, operation };
    }
  }
  throw new Error(`${route} is not in the OpenAPI document`);
}

/** Makes the call, then holds its answer to the document; returns the parsed body. */
async function check<T = unknown>(call: Call): Promise<T> {
  const { path, method, operation } = operationOf(call.route);
  expect(method.toUpperCase(), call.route).toBe(call.method);
  if (call.body !== undefined && call.status < 300) {
    // What a route accepts, its description must accept too.
    const accepts = validatorAt(pointer("paths", path, method, "requestBody", "content", "application/json", "schema"));
    expect(accepts(call.body), `${call.route} request body: ${JSON.stringify(accepts.errors)}`).toBe(true);
  }
  const sendsBody = call.body !== undefined || call.raw !== undefined;
  const response = await fetch(`${hookpost.baseUrl}/api/v1${call.path}`, {
    method: call.method,
    headers: {
      ...(call.anonymous ? {} : { authorization: `Bearer ${hookpost.apiKey}` }),
      ...(sendsBody ? { "content-type": "application/json" } : {}),
      ...call.headers,
    },
    body: call.raw ?? (call.body === undefined ? undefined : JSON.stringify(call.body)),
  });
  const text = await response.text();
  const label = `${call.method} ${call.path} -> ${response.status} ${text.slice(0, 300)}`;
  expect(response.status, label).toBe(call.status);
  const documented = operation.responses[String(response.status)];
  expect(documented, `${label}: the document lists no ${response.status} for ${call.route}`).toBeDefined();
  let body: unknown = undefined;
  if (documented?.content) {
    expect(response.headers.get("content-type"), label).toMatch(/^application\/json/);
    body = JSON.parse(text);
    const matches = validatorAt(
      pointer("paths", path, method, "responses", String(response.status), "content", "application/json", "schema"),
    );
    expect(matches(body), `${label}: ${JSON.stringify(matches.errors)}`).toBe(true);
  } else {
    expect(text, `${label}: the document says this answer has no body`).toBe("");
  }
  checked.push({ route: call.route, status: response.status });
  return body as T;
}

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1, served without an API key", async () => {
    expect(document.openapi).toBe("3.1.0");
    const result = await new Validator().validate(document as unknown as Record<string, unknown>);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("describes every route and method of /api/v1, and no other", () => {
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method]).map((method) => routeKey(path, method)),
    );
    expect(documented.sort()).toEqual(declaredRoutes().sort());
  });

  it("holds every route's real answers, successes and errors", async () => {
    const big = "x".repeat(300 * 1024);
    // Apps.
    const app = await check<{ id: string }>({
      route: "apps POST",
      method: "POST",
      path: "/apps",
      status: 201,
      body: { name: "Acme", uid: "acme" },
    });
    await check({ route: "apps POST", method: "POST", path: "/apps", status: 201, body: { name: "Beta" } });
    await check({ route: "apps POST", method: "POST", path: "/apps", status: 409, body: { name: "A", uid: "acme" } });
    await check({ route: "apps POST", method: "POST", path: "/apps", status: 422, body: { name: "" } });
    await check({ route: "apps POST", method: "POST", path: "/apps", status: 400, raw: "{not json" });
    await check({ route: "apps POST", method: "POST", path: "/apps", status: 413, raw: JSON.stringify({ name: big }) });
    const apps = await check<{ nextCursor: string | null }>({
      route: "apps GET",
      method: "GET",
      path: "/apps?limit=1",
      status: 200,
    });
    expect(apps.nextCursor).not.toBeNull();
    await check({ route: "apps GET", method: "GET", path: `/apps?cursor=${apps.nextCursor}`, status: 200 });
    await check({ route: "apps GET", method: "GET", path: "/apps?limit=0", status: 422 });
    await check({ route: "apps GET", method: "GET", path: "/apps?cursor=nonsense", status: 422 });
    await check({ route: "apps/[appId] GET", method: "GET", path: "/apps/acme", status: 200 });
    await check({ route: "apps/[appId] GET", method: "GET", path: "/apps/nobody", status: 404 });
    const branding = { displayName: "Acme Billing", logoUrl: "https://example.com/logo.svg", accentColor: "#3b5bdb" };
    await check({ route: "apps/[appId] PATCH", method: "PATCH", path: "/apps/acme", status: 200, body: branding });
    await check({
      route: "apps/[appId] PATCH",
      method: "PATCH",
      path: "/apps/acme",
      status: 422,
      body: { accentColor: "blue" },
    });
    await check({
      route: "apps/[appId] PATCH",
      method: "PATCH",
      path: "/apps/nobody",
      status: 404,
      body: { name: "N" },
    });

    // The event catalogue.
    const types = "apps/[appId]/event-types";
    const declared = {
      name: "invoice.paid",
      description: "An invoice was paid",
      example: { invoice: 42 },
      schema: { type: "object", required: ["invoice"], properties: { invoice: { type: "integer" } } },
    };
    await check({
      route: `${types} POST`,
      method: "POST",
      path: "/apps/acme/event-types",
      status: 201,
      body: declared,
    });
    await check({
      route: `${types} POST`,
      method: "POST",
      path: "/apps/acme/event-types",
      status: 409,
      body: declared,
    });
    await check({
      route: `${types} POST`,
      method: "POST",
      path: "/apps/acme/event-types",
      status: 422,
      body: { name: "invoice.void", example: { invoice: "x" }, schema: declared.schema },
    });
    await check({
      route: `${types} POST`,
      method: "POST",
      path: "/apps/nobody/event-types",
      status: 404,
      body: declared,
    });
    await check({ route: `${types} GET`, method: "GET", path: "/apps/acme/event-types", status: 200 });
    await check({
      route: `${types} GET`,
      method: "GET",
      path: "/apps/acme/event-types?includeArchived=maybe",
      status: 422,
    });
    await check({ route: `${types} GET`, method: "GET", path: "/apps/nobody/event-types", status: 404 });
    const type = `${types}/[eventType]`;
    await check({ route: `${type} GET`, method: "GET", path: "/apps/acme/event-types/invoice.paid", status: 200 });
    await check({ route: `${type} GET`, method: "GET", path: "/apps/acme/event-types/none.such", status: 404 });
    await check({
      route: `${type} PATCH`,
      method: "PATCH",
      path: "/apps/acme/event-types/invoice.paid",
      status: 200,
      body: { description: "Paid in full" },
    });
    await check({
      route: `${type} PATCH`,
      method: "PATCH",
      path: "/apps/acme/event-types/invoice.paid",
      status: 422,
      body: { example: { invoice: "forty-two" } },
    });
    await check({
      route: `${type} DELETE`,
      method: "DELETE",
      path: "/apps/acme/event-types/invoice.paid",
      status: 204,
    });
    await check({ route: `${type} DELETE`, method: "DELETE", path: "/apps/acme/event-types/none.such", status: 404 });
    await check({
      route: `${type} PATCH`,
      method: "PATCH",
      path: "/apps/acme/event-types/invoice.paid",
      status: 200,
      body: { archived: false },
    });

    // Endpoints.
    const endpoints = "apps/[appId]/endpoints";
    const endpoint = await check<{ id: string }>({
      route: `${endpoints} POST`,
      method: "POST",
      path: "/apps/acme/endpoints",
      status: 201,
      body: { url: receiver.url, eventTypes: ["invoice.paid"], rateLimit: 50, description: "Billing" },
    });
    await check({
      route: `${endpoints} POST`,
      method: "POST",
      path: "/apps/acme/endpoints",
      status: 422,
      body: { url: "ftp://example.com/" },
    });
    await check({
      route: `${endpoints} POST`,
      method: "POST",
      path: "/apps/nobody/endpoints",
      status: 404,
      body: { url: receiver.url },
    });
    await check({ route: `${endpoints} GET`, method: "GET", path: "/apps/acme/endpoints", status: 200 });
    await check({ route: `${endpoints} GET`, method: "GET", path: "/apps/acme/endpoints?limit=x", status: 422 });
    await check({ route: `${endpoints} GET`, method: "GET", path: "/apps/nobody/endpoints", status: 404 });

    const one = `${endpoints}/[endpointId]`;
    const at = `/apps/acme/endpoints/${endpoint.id}`;
    await check({ route: `${one} GET`, method: "GET", path: at, status: 200 });
    await check({ route: `${one} GET`, method: "GET", path: "/apps/acme/endpoints/endpoint_none", status: 404 });
    await check({ route: `${one} PATCH`, method: "PATCH", path: at, status: 200, body: { description: "Invoices" } });
    await check({ route: `${one} PATCH`, method: "PATCH", path: at, status: 422, body: {} });
    await check({ route: `${one} PATCH`, method: "PATCH", path: at, status: 422, body: { disabled: "yes" } });
    await check({ route: `${one}/headers GET`, method: "GET", path: `${at}/headers`, status: 200 });
    await check({
      route: `${one}/headers PUT`,
      method: "PUT",
      path: `${at}/headers`,
      status: 200,
      body: { headers: { "X-Team": "billing" } },
    });
    await check({
      route: `${one}/headers PUT`,
      method: "PUT",
      path: `${at}/headers`,
      status: 422,
      body: { headers: { "webhook-id": "mine" } },
    });
    await check({ route: `${one}/headers GET`, method: "GET", path: "/apps/beta/endpoints/x/headers", status: 404 });
    await check({ route: `${one}/secret GET`, method: "GET", path: `${at}/secret`, status: 200 });
    await check({ route: `${one}/secret GET`, method: "GET", path: "/apps/acme/endpoints/x/secret", status: 404 });
    await check({ route: `${one}/secret/rotate POST`, method: "POST", path: `${at}/secret/rotate`, status: 200 });
    await check({
      route: `${one}/secret/rotate POST`,
      method: "POST",
      path: `${at}/secret/rotate`,
      status: 422,
      body: { key: "not-a-secret" },
    });

    // Events, deliveries and attempts.
    const events = "apps/[appId]/events POST";
    const sent = { eventType: "invoice.paid", payload: { invoice: 42, lines: [{ amount: 1.5 }] } };
    const event = await check<{ id: string }>({
      route: events,
      method: "POST",
      path: "/apps/acme/events",
      status: 202,
      body: sent,
      headers: { "idempotency-key": "invoice-42" },
    });
    const again = await check<{ id: string }>({
      route: events,
      method: "POST",
      path: "/apps/acme/events",
      status: 202,
      body: sent,
      headers: { "idempotency-key": "invoice-42" },
    });
    expect(again.id).toBe(event.id);
    await check({ route: events, method: "POST", path: "/apps/acme/events", status: 422, body: { eventType: "a" } });
    await check({ route: events, method: "POST", path: "/apps/acme/events", status: 400, raw: "" });
    await check({ route: events, method: "POST", path: "/apps/acme/events", status: 413, raw: big });
    await check({ route: events, method: "POST", path: "/apps/nobody/events", status: 404, body: sent });

    const deliveries = "apps/[appId]/events/[eventId]/deliveries GET";
    const page = await check<{ data: Array<{ id: string }> }>({
      route: deliveries,
      method: "GET",
      path: `/apps/acme/events/${event.id}/deliveries`,
      status: 200,
    });
    const delivery = page.data[0]!.id;
    await check({
      route: deliveries,
      method: "GET",
      path: `/apps/acme/events/${event.id}/deliveries?limit=251`,
      status: 422,
    });
    await check({ route: deliveries, method: "GET", path: "/apps/acme/events/event_none/deliveries", status: 404 });
    await hookpost.waitForSucceeded(app.id, 1, "the event's delivery");
    const attempts = "apps/[appId]/deliveries/[deliveryId]/attempts GET";
    const attempted = await check<{ data: unknown[] }>({
      route: attempts,
      method: "GET",
      path: `/apps/acme/deliveries/${delivery}/attempts`,
      status: 200,
    });
    expect(attempted.data).toHaveLength(1);
    await check({ route: attempts, method: "GET", path: "/apps/acme/deliveries/delivery_none/attempts", status: 404 });
    const retry = "apps/[appId]/deliveries/[deliveryId]/retry POST";
    await check({ route: retry, method: "POST", path: `/apps/acme/deliveries/${delivery}/retry`, status: 202 });
    await check({ route: retry, method: "POST", path: `/apps/beta/deliveries/${delivery}/retry`, status: 404 });
    await waitFor("the retried attempt", async () =>
      (await hookpost.db.attempt.count({ where: { deliveryId: delivery } })) === 2 ? true : undefined,
    );
    await check({ route: attempts, method: "GET", path: `/apps/acme/deliveries/${delivery}/attempts`, status: 200 });

    // Portal links, deletion, the document itself.
    const portal = "apps/[appId]/portal-access POST";
    await check({ route: portal, method: "POST", path: "/apps/acme/portal-access", status: 201 });
    await check({ route: portal, method: "POST", path: "/apps/nobody/portal-access", status: 404 });
    await check({ route: `${one} DELETE`, method: "DELETE", path: at, status: 204 });
    await check({ route: `${one} DELETE`, method: "DELETE", path: at, status: 404 });
    await check({ route: "openapi.json GET", method: "GET", path: "/openapi.json", status: 200, anonymous: true });

    // Without a key, every route but the document's own answers 401.
    for (const route of declaredRoutes()) {
      const { operation } = operationOf(route);
      if (operation.security?.length === 0) continue;
      const [file, method] = route.split(" ") as [string, string];
      const path = `/${file.replace(/\[appId\]/, "acme").replace(/\[\w+\]/g, "x")}`;
      await check({ route, method, path, status: 401, anonymous: true, body: method === "GET" ? undefined : {} });
    }

    // Every route was held to the document with at least one success, and each with a key with an error too.
    for (const route of declaredRoutes()) {
      const statuses = checked.filter((c) => c.route === route).map((c) => c.status);
      expect(
        statuses.some((s) => s < 300),
        `${route}: no success checked`,
      ).toBe(true);
      if (route !== "openapi.json GET") {
        expect(
          statuses.some((s) => s >= 400 && s !== 401),
          `${route}: no error checked beyond 401`,
        ).toBe(true);
      }
    }
  });
});
