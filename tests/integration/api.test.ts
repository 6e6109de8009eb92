// The HTTP API's contract: shapes, validation, authentication, tenancy.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHookpost, type RunningHookpost } from "../support/hookpost";

let hookpost: RunningHookpost;

beforeAll(async () => {
  hookpost = await startHookpost();
});

afterAll(async () => {
  await hookpost?.stop();
});

async function body<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

describe("authentication", () => {
  it("answers 401 without a key or with a wrong one", async () => {
    const none = await fetch(`${hookpost.baseUrl}/api/v1/apps`);
    expect(none.status).toBe(401);
    expect((await body<ErrorBody>(none)).error.code).toBe("unauthorized");
    const wrong = await hookpost.api("/apps", { headers: { authorization: "Bearer hp_wrong" } });
    expect(wrong.status).toBe(401);
  });
});

describe("apps", () => {
  it("creates, fetches by id or uid, and lists apps", async () => {
    const created = await hookpost.api("/apps", { body: { name: "Globex", uid: "globex" } });
    expect(created.status).toBe(201);
    const app = await body<{ id: string; name: string; uid: string; createdAt: string }>(created);
    expect(Object.keys(app).sort()).toEqual(["accentColor", "createdAt", "displayName", "id", "logoUrl", "name", "uid"]);
    expect(app).toMatchObject({ name: "Globex", uid: "globex" });
    expect(await body(await hookpost.api(`/apps/${app.id}`))).toEqual(app);
    expect(await body(await hookpost.api("/apps/globex"))).toEqual(app);
    const list = await body<{ data: Array<{ id: string }>; nextCursor: string | null }>(await hookpost.api("/apps"));
    expect(list.data.map((a) => a.id)).toContain(app.id);

    const duplicate = await hookpost.api("/apps", { body: { name: "Again", uid: "globex" } });
    expect(duplicate.status).toBe(409);
    expect((await body<ErrorBody>(duplicate)).error.field).toBe("uid");
  });

  it("paginates with an opaque cursor", async () => {
    for (let i = 0; i < 3; i++) await hookpost.api("/apps", { body: { name: `Page ${i}` } });
    const first = await body<{ data: Array<{ id: string }>; nextCursor: string }>(await hookpost.api("/apps?limit=2"));
    expect(first.data).toHaveLength(2);
    expect(first.nextCursor).toBeTruthy();
    const second = await body<{ data: Array<{ id: string }> }>(
      await hookpost.api(`/apps?limit=2&cursor=${first.nextCursor}`),
    );
    expect(second.data.length).toBeGreaterThan(0);
    expect(second.data.map((a) => a.id)).not.toContain(first.data[0]!.id);
    const tooMany = await hookpost.api("/apps?limit=251");
    expect(tooMany.status).toBe(422);
    expect((await body<ErrorBody>(tooMany)).error.field).toBe("limit");
  });

  it("answers 404 for an unknown app", async () => {
    const response = await hookpost.api("/apps/app_01ZZZZZZZZZZZZZZZZZZZZZZZZ/endpoints");
    expect(response.status).toBe(404);
    expect((await body<ErrorBody>(response)).error.code).toBe("not_found");
  });
});

describe("endpoints", () => {
  it("creates with a generated secret, updates, and deletes", async () => {
    const app = await body<{ id: string }>(await hookpost.api("/apps", { body: { name: "Initech" } }));
    const created = await hookpost.api(`/apps/${app.id}/endpoints`, {
      body: { url: "https://example.com/hook", description: "main", eventTypes: ["a.b"] },
    });
    expect(created.status).toBe(201);
    const endpoint = await body<Record<string, unknown> & { id: string }>(created);
    expect(Object.keys(endpoint).sort()).toEqual([
      "createdAt",
      "description",
      "disabled",
      "eventTypes",
      "id",
      "rateLimit",
      "url",
    ]);
    expect(endpoint).toMatchObject({
      url: "https://example.com/hook",
      description: "main",
      eventTypes: ["a.b"],
      disabled: false,
    });

    const secret = await body<{ key: string }>(await hookpost.api(`/apps/${app.id}/endpoints/${endpoint.id}/secret`));
    expect(secret.key).toMatch(/^whsec_/);
    expect(Buffer.from(secret.key.slice(6), "base64")).toHaveLength(32);
    // Encrypted at rest: the row holds neither the secret nor its key material.
    const stored = await hookpost.db.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(stored.secret).toMatch(/^enc:v1:/);
    expect(stored.secret).not.toContain(secret.key.slice(6));

    const patched = await hookpost.api(`/apps/${app.id}/endpoints/${endpoint.id}`, {
      method: "PATCH",
      body: { disabled: true, eventTypes: [] },
    });
    expect(await body(patched)).toMatchObject({ disabled: true, eventTypes: [] });

    const list = await body<{ data: unknown[] }>(await hookpost.api(`/apps/${app.id}/endpoints`));
    expect(list.data).toHaveLength(1);

    expect((await hookpost.api(`/apps/${app.id}/endpoints/${endpoint.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await hookpost.api(`/apps/${app.id}/endpoints/${endpoint.id}`)).status).toBe(404);
  });

  it("accepts a caller-chosen secret and refuses a malformed one", async () => {
    const app = await body<{ id: string }>(await hookpost.api("/apps", { body: { name: "Hooli" } }));
    const key = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
    const ok = await body<{ id: string }>(
      await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url: "https://example.com/", secret: key } }),
    );
    expect(await body(await hookpost.api(`/apps/${app.id}/endpoints/${ok.id}/secret`))).toEqual({ key });
    const bad = await hookpost.api(`/apps/${app.id}/endpoints`, {
      body: { url: "https://example.com/", secret: "nope" },
    });
    expect(bad.status).toBe(422);
    expect((await body<ErrorBody>(bad)).error.field).toBe("secret");
  });

  it("refuses non-http URLs and names the field", async () => {
    const app = await body<{ id: string }>(await hookpost.api("/apps", { body: { name: "Umbrella" } }));
    const response = await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url: "ftp://example.com" } });
    expect(response.status).toBe(422);
    expect((await body<ErrorBody>(response)).error).toMatchObject({ code: "validation_error", field: "url" });
    expect(await body<{ data: unknown[] }>(await hookpost.api(`/apps/${app.id}/endpoints`))).toMatchObject({
      data: [],
    });
  });

  it("hides another app's endpoint behind 404", async () => {
    const owner = await body<{ id: string }>(await hookpost.api("/apps", { body: { name: "Owner" } }));
    const other = await body<{ id: string }>(await hookpost.api("/apps", { body: { name: "Other" } }));
    const endpoint = await body<{ id: string }>(
      await hookpost.api(`/apps/${owner.id}/endpoints`, { body: { url: "https://example.com/" } }),
    );
    for (const path of ["", "/secret"]) {
      expect((await hookpost.api(`/apps/${other.id}/endpoints/${endpoint.id}${path}`)).status).toBe(404);
    }
    const rotate = await hookpost.api(`/apps/${other.id}/endpoints/${endpoint.id}/secret/rotate`, { method: "POST" });
    expect(rotate.status).toBe(404);
  });
});

describe("events", () => {
  let appId: string;

  beforeAll(async () => {
    appId = (await body<{ id: string }>(await hookpost.api("/apps", { body: { name: "Events" } }))).id;
  });

  it("accepts an event with 202 and its documented shape", async () => {
    const response = await hookpost.api(`/apps/${appId}/events`, { body: { eventType: "a.b", payload: { x: 1 } } });
    expect(response.status).toBe(202);
    expect(response.headers.get("content-type")).toBe("application/json");
    const event = await body<Record<string, unknown>>(response);
    expect(Object.keys(event).sort()).toEqual(["createdAt", "eventType", "id", "payload"]);
    expect(event).toMatchObject({ eventType: "a.b", payload: { x: 1 } });
    expect(event.id).toMatch(/^msg_/);
  });

  it.each([
    ["a missing eventType", { payload: {} }, "eventType"],
    ["an array payload", { eventType: "a", payload: [1] }, "payload"],
    ["a string payload", { eventType: "a", payload: "x" }, "payload"],
    ["a bad event type", { eventType: "a b", payload: {} }, "eventType"],
  ])("refuses %s with 422 naming the field, storing nothing", async (_name, input, field) => {
    const before = await hookpost.db.event.count();
    const response = await hookpost.api(`/apps/${appId}/events`, { body: input });
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect((await body<ErrorBody>(response)).error.field).toBe(field);
    expect(await hookpost.db.event.count()).toBe(before);
  });

  it("answers 400 for malformed JSON and 413 for payloads over 256 KiB", async () => {
    const malformed = await hookpost.api(`/apps/${appId}/events`, { body: '{"eventType":' });
    expect(malformed.status).toBe(400);
    expect((await body<ErrorBody>(malformed)).error.code).toBe("malformed_request");
    const huge = await hookpost.api(`/apps/${appId}/events`, {
      body: { eventType: "a", payload: { blob: "x".repeat(257 * 1024) } },
    });
    expect(huge.status).toBe(413);
  });

  it("answers 404 for an unknown app", async () => {
    const response = await hookpost.api(`/apps/nobody/events`, { body: { eventType: "a", payload: {} } });
    expect(response.status).toBe(404);
  });
});

describe("hostile input to the event API", () => {
  let appId: string;

  beforeAll(async () => {
    appId = (await body<{ id: string }>(await hookpost.api("/apps", { body: { name: "Fuzzed" } }))).id;
  });

  // A seeded generator: a failure names the seed and input, and replays.
  function random(seed: number) {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
  }

  function hostileBodies(): Array<[string, string | Uint8Array]> {
    const next = random(42);
    const valid = JSON.stringify({ eventType: "fuzz.case", payload: { a: 1 } });
    const cases: Array<[string, string | Uint8Array]> = [
      ["empty body", ""],
      ["null", "null"],
      ["an array", "[]"],
      ["a number", "42"],
      ["deep nesting", `{"eventType":"a","payload":${'{"a":'.repeat(5000)}1${"}".repeat(5000)}}`],
      ["extreme nesting", "[".repeat(200_000)],
      ["huge eventType", JSON.stringify({ eventType: "a".repeat(100_000), payload: {} })],
      ["eventType as number", JSON.stringify({ eventType: 7, payload: {} })],
      ["payload as null", JSON.stringify({ eventType: "a", payload: null })],
      ["eventId as object", JSON.stringify({ eventType: "a", payload: {}, eventId: {} })],
      ["empty eventId", JSON.stringify({ eventType: "a", payload: {}, eventId: "" })],
      ["__proto__ in payload", '{"eventType":"a","payload":{"__proto__":{"polluted":true}}}'],
      ["nested __proto__", '{"eventType":"a","payload":{"x":[{"__proto__":{"isAdmin":true}}]}}'],
      ["__proto__ at top level", '{"__proto__":{"eventType":"a"},"eventType":"a","payload":{}}'],
      ["NUL escape", '{"eventType":"a","payload":{"s":"\\u0000"}}'],
      [
        "invalid UTF-8",
        new Uint8Array([...Buffer.from('{"eventType":"a","payload":{"s":"'), 0xff, 0xfe, ...Buffer.from('"}}')]),
      ],
      [
        "lone surrogate bytes",
        new Uint8Array([...Buffer.from('{"eventType":"a","payload":{"s":"'), 0xed, 0xa0, 0x80, ...Buffer.from('"}}')]),
      ],
    ];
    for (let i = 0; i < 40; i++) {
      const cut = Math.floor(next() * (valid.length - 1));
      cases.push([`truncated at ${cut}`, valid.slice(0, cut)]);
    }
    for (let i = 0; i < 40; i++) {
      const bytes = new Uint8Array(1 + Math.floor(next() * 64)).map(() => Math.floor(next() * 256));
      cases.push([`random bytes #${i}`, bytes]);
    }
    for (let i = 0; i < 20; i++) {
      const chars = valid.split("");
      const at = Math.floor(next() * chars.length);
      chars[at] = String.fromCharCode(Math.floor(next() * 128));
      const mutated = chars.join("");
      // A mutation that still forms a valid event is not hostile.
      try {
        const parsed = JSON.parse(mutated) as { eventType?: unknown; payload?: unknown };
        if (typeof parsed.eventType === "string" && /^[a-zA-Z0-9\-_.]{1,256}$/.test(parsed.eventType)) continue;
      } catch {
        // Malformed: exactly what is wanted.
      }
      cases.push([`mutated at ${at}`, mutated]);
    }
    return cases;
  }

  it("answers every hostile body with a clear 4xx and stores nothing", async () => {
    const before = await hookpost.db.event.count();
    for (const [name, payload] of hostileBodies()) {
      const response = await fetch(`${hookpost.baseUrl}/api/v1/apps/${appId}/events`, {
        method: "POST",
        headers: { authorization: `Bearer ${hookpost.apiKey}`, "content-type": "application/json" },
        body: typeof payload === "string" ? payload : (payload.buffer as ArrayBuffer),
      });
      const answer = (await response.json()) as ErrorBody;
      expect([400, 413, 422], `${name}: got ${response.status}`).toContain(response.status);
      expect(answer.error.code, name).toMatch(/^[a-z_]+$/);
      expect(answer.error.message.length, name).toBeGreaterThan(5);
    }
    expect(await hookpost.db.event.count()).toBe(before);
  });
});
