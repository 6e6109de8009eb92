// The event catalogue and the portal's branding through the HTTP API of the
// built app: every bad input is refused naming its field and changes
// nothing, archiving hides a type without forgetting it, and a test event
// of a catalogue type reaches the endpoint with the type's example, as the
// worker sends it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPortalAccess, PORTAL_COOKIE, redeemPortalLink } from "../../lib/auth/portal";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { builtServerActions, callServerAction } from "../support/http-session";
import { answer, startReceiver, type TestReceiver } from "../support/receiver";
import { waitFor } from "../support/services";

let hookpost: RunningHookpost;
let receiver: TestReceiver;
let appId: string;

const INVOICE_SCHEMA = {
  type: "object",
  required: ["invoice", "amount"],
  properties: { invoice: { type: "integer" }, amount: { type: "number", minimum: 0 } },
};

async function createApp(body: unknown): Promise<Response> {
  return hookpost.api("/apps", { body });
}

async function expectRefused(response: Response, status: number, field: string | undefined): Promise<void> {
  const body = (await response.json()) as { error: { field?: string; message: string } };
  expect([response.status, body.error.field], body.error.message).toEqual([status, field]);
  if (field) expect(body.error.message).toContain(field);
}

beforeAll(async () => {
  [hookpost, receiver] = await Promise.all([startHookpost(), startReceiver(answer(200))]);
  const app = (await (await createApp({ name: "Catalogue Co" })).json()) as { id: string };
  appId = app.id;
}, 120_000);

afterAll(async () => {
  await hookpost?.stop();
  await receiver?.close();
});

describe("the event catalogue API", () => {
  it("declares, lists, reads, edits, archives and restores a type, keeping the example as written", async () => {
    const exampleText = '{"invoice": 42, "amount": 1.10, "id": 12345678901234567890}';
    const created = await hookpost.api(`/apps/${appId}/event-types`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: undefined,
    });
    // An empty body is a malformed request, not a type.
    expect(created.status).toBe(400);

    const response = await fetch(`${hookpost.baseUrl}/api/v1/apps/${appId}/event-types`, {
      method: "POST",
      headers: { authorization: `Bearer ${hookpost.apiKey}`, "content-type": "application/json" },
      body: `{"name":"invoice.paid","description":"An invoice was paid","example":${exampleText},"schema":${JSON.stringify(INVOICE_SCHEMA)}}`,
    });
    expect(response.status).toBe(201);
    const text = await response.text();
    expect(text).toContain(exampleText);
    expect(JSON.parse(text)).toMatchObject({ name: "invoice.paid", archived: false, schema: INVOICE_SCHEMA });

    const other = await hookpost.api(`/apps/${appId}/event-types`, {
      body: { name: "user.created", example: { user: "u_1" } },
    });
    expect(other.status).toBe(201);

    const list = (await (await hookpost.api(`/apps/${appId}/event-types`)).json()) as { data: Array<{ name: string }> };
    expect(list.data.map((type) => type.name)).toEqual(["user.created", "invoice.paid"]);

    const edited = await hookpost.api(`/apps/${appId}/event-types/invoice.paid`, {
      method: "PATCH",
      body: { description: "Paid in full" },
    });
    expect(edited.status).toBe(200);
    expect(await edited.text()).toContain(exampleText);

    expect((await hookpost.api(`/apps/${appId}/event-types/user.created`, { method: "DELETE" })).status).toBe(204);
    const current = (await (await hookpost.api(`/apps/${appId}/event-types`)).json()) as {
      data: Array<{ name: string }>;
    };
    expect(current.data.map((type) => type.name)).toEqual(["invoice.paid"]);
    const all = (await (await hookpost.api(`/apps/${appId}/event-types?includeArchived=true`)).json()) as {
      data: Array<{ name: string; archived: boolean }>;
    };
    expect(all.data).toMatchObject([
      { name: "user.created", archived: true },
      { name: "invoice.paid", archived: false },
    ]);
    const restored = await hookpost.api(`/apps/${appId}/event-types/user.created`, {
      method: "PATCH",
      body: { archived: false },
    });
    expect(((await restored.json()) as { archived: boolean }).archived).toBe(false);

    const activity = await hookpost.db.activity.findMany({ where: { appId }, orderBy: { id: "asc" } });
    expect(activity.map((entry) => entry.action)).toEqual([
      "event_type.created",
      "event_type.created",
      "event_type.updated",
      "event_type.archived",
      "event_type.restored",
    ]);
    expect(activity.every((entry) => entry.actor.startsWith("api key "))).toBe(true);
  });

  it("refuses bad input naming the field, and changes nothing", async () => {
    const snapshot = async () => JSON.stringify(await hookpost.db.eventType.findMany({ orderBy: { id: "asc" } }));
    const before = await snapshot();
    const post = (body: unknown) => hookpost.api(`/apps/${appId}/event-types`, { body });
    const patch = (body: unknown) => hookpost.api(`/apps/${appId}/event-types/invoice.paid`, { method: "PATCH", body });

    await expectRefused(await post({ name: "invoice paid!", example: {} }), 422, "name");
    await expectRefused(await post({ name: "invoice.voided" }), 422, "example");
    await expectRefused(await post({ name: "invoice.voided", example: [1, 2] }), 422, "example");
    await expectRefused(await post({ name: "invoice.voided", example: "{}" }), 422, "example");
    await expectRefused(await post({ name: "invoice.voided", example: {}, schema: "object" }), 422, "schema");
    // Not a JSON Schema: "type" must name a type.
    await expectRefused(await post({ name: "invoice.voided", example: {}, schema: { type: "strin" } }), 422, "schema");
    await expectRefused(
      await post({ name: "invoice.voided", example: {}, schema: { $ref: "#/definitions/missing" } }),
      422,
      "schema",
    );
    await expectRefused(
      await post({
        name: "invoice.voided",
        example: {},
        schema: { $schema: "http://json-schema.org/draft-04/schema#" },
      }),
      422,
      "schema",
    );
    await expectRefused(
      await post({ name: "invoice.voided", example: { invoice: 1, amount: "12" }, schema: INVOICE_SCHEMA }),
      422,
      "example.amount",
    );
    await expectRefused(await post({ name: "invoice.paid", example: {} }), 409, "name");
    // A new schema is checked against the example kept, and a new example against the schema kept.
    await expectRefused(await patch({ schema: { type: "object", required: ["customer"] } }), 422, "example");
    await expectRefused(await patch({ example: { invoice: "forty-two", amount: 1 } }), 422, "example.invoice");
    await expectRefused(await patch({}), 422, undefined);
    await expectRefused(await patch({ archived: "yes" }), 422, "archived");
    expect(await snapshot()).toBe(before);

    // 2020-12 is accepted when the schema says so.
    const modern = await post({
      name: "invoice.voided",
      example: { invoice: 1, lines: [7] },
      schema: {
        $schema: "https://json-schema.org/draft/2020-12/schema",
        type: "object",
        properties: { lines: { type: "array", prefixItems: [{ type: "integer" }] } },
      },
    });
    expect(modern.status).toBe(201);
  });

  it("answers 404 for a type of another app or none", async () => {
    const other = (await (await createApp({ name: "Elsewhere" })).json()) as { id: string };
    expect((await hookpost.api(`/apps/${other.id}/event-types/invoice.paid`)).status).toBe(404);
    expect((await hookpost.api(`/apps/${appId}/event-types/nothing.here`)).status).toBe(404);
  });
});

describe("the portal's branding", () => {
  it("is set on create and by PATCH, validated naming the field, and clearable", async () => {
    await expectRefused(await createApp({ name: "B", logoUrl: "http://example.com/logo.png" }), 422, "logoUrl");
    await expectRefused(await createApp({ name: "B", logoUrl: "javascript:alert(1)" }), 422, "logoUrl");
    await expectRefused(await createApp({ name: "B", logoUrl: "https://user:pw@example.com/l.png" }), 422, "logoUrl");
    await expectRefused(await createApp({ name: "B", accentColor: "blue" }), 422, "accentColor");
    await expectRefused(await createApp({ name: "B", accentColor: "#12345" }), 422, "accentColor");
    await expectRefused(await createApp({ name: "B", displayName: "  " }), 422, "displayName");
    expect(await hookpost.db.app.count({ where: { name: "B" } })).toBe(0);

    const created = await createApp({
      name: "Branded",
      displayName: "Acme Billing",
      logoUrl: "https://cdn.example.com/acme.svg",
      accentColor: "#AbC",
    });
    expect(created.status).toBe(201);
    const app = (await created.json()) as { id: string; accentColor: string; displayName: string };
    expect(app).toMatchObject({ accentColor: "#aabbcc", displayName: "Acme Billing" });

    const before = await hookpost.db.app.findUniqueOrThrow({ where: { id: app.id } });
    await expectRefused(
      await hookpost.api(`/apps/${app.id}`, { method: "PATCH", body: { accentColor: "#gggggg" } }),
      422,
      "accentColor",
    );
    await expectRefused(await hookpost.api(`/apps/${app.id}`, { method: "PATCH", body: {} }), 422, undefined);
    expect(await hookpost.db.app.findUniqueOrThrow({ where: { id: app.id } })).toEqual(before);

    const patched = await hookpost.api(`/apps/${app.id}`, {
      method: "PATCH",
      body: { logoUrl: null, accentColor: "#0B7285", name: "Branded 2" },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      name: "Branded 2",
      displayName: "Acme Billing",
      logoUrl: null,
      accentColor: "#0b7285",
    });
    const entry = await hookpost.db.activity.findFirstOrThrow({ where: { appId: app.id } });
    expect(entry).toMatchObject({ action: "app.updated", targetType: "app" });
  });
});

describe("a test event of a catalogue type", () => {
  it("is sent from the portal with the type's example; an archived or unknown type is not found", async () => {
    const endpoint = (await (
      await hookpost.api(`/apps/${appId}/endpoints`, { body: { url: receiver.url, eventTypes: ["invoice.paid"] } })
    ).json()) as { id: string };
    const { token } = await createPortalAccess(hookpost.db, appId, 60_000);
    const opened = await redeemPortalLink(hookpost.db, token, 3_600_000);
    const cookie = `${PORTAL_COOKIE}=${opened!.sessionToken}`;
    const action = builtServerActions().find((a) => a.name === "app/apps/actions.ts#sendTestEventAction")!;
    const send = (eventType: string) =>
      callServerAction(
        hookpost.baseUrl,
        action,
        { appId, endpointId: endpoint.id },
        [{ appId, endpointId: endpoint.id, eventType }],
        cookie,
      );

    const sent = await send("invoice.paid");
    expect(sent.body).toContain('"ok":true');
    const request = await waitFor("the test event at the receiver", () =>
      receiver.requests.find((r) => r.body.includes('"type":"invoice.paid"')),
    );
    const example = (await hookpost.db.eventType.findFirstOrThrow({ where: { appId, name: "invoice.paid" } })).example;
    expect(request.body).toContain(`"data":${example}`);

    await hookpost.api(`/apps/${appId}/event-types/user.created`, { method: "DELETE" });
    const events = await hookpost.db.event.count();
    expect((await send("user.created")).body).toMatch(/"ok":false,"status":404/);
    expect((await send("nothing.here")).body).toMatch(/"ok":false,"status":404/);
    expect(await hookpost.db.event.count()).toBe(events);
  });
});
