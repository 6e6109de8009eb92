// The event API against the real built app: a request PostgreSQL would
// refuse is answered 422 up front, a request it refuses anyway fails alone
// among the concurrent requests sharing its statement, no log line quotes a
// payload, and a payload reaches the consumer byte for byte as its producer
// wrote it.
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validate } from "../../lib/api/request";
import { getDeliveryDetail } from "../../lib/dashboard/deliveries";
import { idempotencyKeySchema } from "../../lib/events/events";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { startReceiver, type TestReceiver } from "../support/receiver";
import { waitFor } from "../support/services";

let hookpost: RunningHookpost;
let receiver: TestReceiver;

beforeAll(async () => {
  hookpost = await startHookpost();
  receiver = await startReceiver();
});

afterAll(async () => {
  await hookpost?.stop();
  await receiver?.close();
});

interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

async function createApp(name: string): Promise<string> {
  return ((await (await hookpost.api("/apps", { body: { name } })).json()) as { id: string }).id;
}

function post(appId: string, body: string | Uint8Array): Promise<Response> {
  return fetch(`${hookpost.baseUrl}/api/v1/apps/${appId}/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${hookpost.apiKey}`, "content-type": "application/json" },
    body: typeof body === "string" ? body : (body.buffer as ArrayBuffer),
  });
}

const bytes = (...parts: Array<string | number[]>) =>
  new Uint8Array(parts.flatMap((part) => (typeof part === "string" ? [...Buffer.from(part)] : part)));

/** Bodies PostgreSQL or a consumer's parser would refuse, each with the field its 422 names. */
const INVALID: Array<[string, string | Uint8Array, string]> = [
  ["an escaped lone surrogate in a value", `{"eventType":"a.b","payload":{"s":"\\ud800"}}`, "payload.s"],
  ["an escaped lone surrogate in a key", `{"eventType":"a.b","payload":{"k\\udc00":1}}`, "payload.k\udc00"],
  ["a lone surrogate's bytes", bytes(`{"eventType":"a.b","payload":{"s":"`, [0xed, 0xa0, 0x80], `"}}`), "payload.s"],
  ["U+0000 deep in the payload", `{"eventType":"a.b","payload":{"a":[{"b":"x\\u0000"}]}}`, "payload.a.0.b"],
  ["U+0000 in eventId", `{"eventType":"a.b","payload":{},"eventId":"e\\u0000"}`, "eventId"],
  ["a leading zero", `{"eventType":"a.b","payload":{"n":01}}`, "payload.n"],
  ["NaN", `{"eventType":"a.b","payload":{"list":[1,NaN]}}`, "payload.list.1"],
  ["a trailing dot", `{"eventType":"a.b","payload":{"n":1.}}`, "payload.n"],
  ["a plus sign", `{"eventType":"a.b","payload":{"n":+1}}`, "payload.n"],
];

describe("refused up front", () => {
  it.each(INVALID)("answers %s with 422 naming the field, storing nothing", async (_name, body, field) => {
    const appId = await createApp("Refused");
    const response = await post(appId, body);
    const answer = (await response.json()) as ErrorBody;
    expect(response.status).toBe(422);
    expect(answer.error.code).toBe("validation_error");
    expect(answer.error.field).toBe(field);
    expect(await hookpost.db.event.count({ where: { appId } })).toBe(0);
  });

  it("refuses U+0000 in an Idempotency-Key (HTTP clients cannot send one; other callers can)", () => {
    expect(() => validate(idempotencyKeySchema, "key\u0000")).toThrow(/Idempotency-Key must not contain U\+0000/);
  });

  it("answers every valid event 202 when invalid ones arrive at the same moment, round after round", async () => {
    const appId = await createApp("Mixed");
    for (let round = 0; round < 20; round++) {
      const [name, invalid, field] = INVALID[round % INVALID.length]!;
      const valid = Array.from({ length: 20 }, (_, n) =>
        post(appId, JSON.stringify({ eventType: "a.b", payload: { round, n }, eventId: `r${round}-${n}` })),
      );
      // In the middle: the first request to arrive at an idle server is written alone.
      const responses = await Promise.all([...valid.slice(0, 10), post(appId, invalid), ...valid.slice(10)]);
      const [refused] = responses.splice(10, 1);
      const accepted = responses;
      expect(
        accepted.map((response) => response.status),
        `round ${round} with ${name}`,
      ).toEqual(Array(20).fill(202));
      expect(refused!.status, name).toBe(422);
      expect(((await refused!.json()) as ErrorBody).error.field, name).toBe(field);
    }
    // Each stored exactly once.
    const stored = await hookpost.db.event.findMany({ where: { appId }, select: { externalId: true } });
    expect(stored).toHaveLength(400);
    expect(new Set(stored.map((event) => event.externalId)).size).toBe(400);
  });
});

describe("a request PostgreSQL refuses anyway", () => {
  const MARKER = "poison-7f3a9c";

  it("fails alone among those sharing its statement, and its payload is not logged", async () => {
    // A refusal for one request's data only, which validation cannot foresee.
    await hookpost.db.$executeRawUnsafe(
      `ALTER TABLE events ADD CONSTRAINT test_no_poison CHECK (payload::text NOT LIKE '%${MARKER}%')`,
    );
    const appId = await createApp("Poisoned");
    for (let round = 0; round < 5; round++) {
      const valid = Array.from({ length: 20 }, (_, n) =>
        post(appId, JSON.stringify({ eventType: "a.b", payload: { round, n }, eventId: `p${round}-${n}` })),
      );
      const poison = post(appId, JSON.stringify({ eventType: "a.b", payload: { note: MARKER } }));
      const responses = await Promise.all([...valid.slice(0, 10), poison, ...valid.slice(10)]);
      const [refused] = responses.splice(10, 1);
      const accepted = responses;
      expect(
        accepted.map((response) => response.status),
        `round ${round}`,
      ).toEqual(Array(20).fill(202));
      expect(refused!.status).toBe(500);
      expect(((await refused!.json()) as ErrorBody).error.code).toBe("internal_error");
    }
    const stored = await hookpost.db.event.findMany({ where: { appId }, select: { externalId: true } });
    expect(stored).toHaveLength(100);
    expect(new Set(stored.map((event) => event.externalId)).size).toBe(100);

    // The refusal is logged (PostgreSQL's detail quotes the failing row): without the row.
    const logs = await waitFor("the refusals to be logged", () => {
      const text = hookpost.webLogs();
      return text.split("\n").filter((line) => line.includes("test_no_poison")).length >= 5 ? text : undefined;
    });
    expect(logs).toContain("EventsRefusedError");
    expect(logs).not.toContain(MARKER);
  });
});

describe("a failure not of one request's making", () => {
  const MARKER = "secret-b81e44";

  it("fails the requests of its statement and logs PostgreSQL's error without the values it quotes", async () => {
    // PostgreSQL puts values in an error's detail and hint; a trigger puts the payload there.
    await hookpost.db.$executeRawUnsafe(`
      CREATE FUNCTION test_refuse_marked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.payload::text LIKE '%${MARKER}%' THEN
          RAISE EXCEPTION 'test trigger refused an event' USING DETAIL = NEW.payload::text, HINT = NEW.payload::text;
        END IF;
        RETURN NEW;
      END $$`);
    await hookpost.db.$executeRawUnsafe(
      `CREATE TRIGGER test_refuse_marked BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION test_refuse_marked()`,
    );
    const appId = await createApp("Failing");
    const response = await post(appId, JSON.stringify({ eventType: "a.b", payload: { note: MARKER } }));
    expect(response.status).toBe(500);
    expect(await hookpost.db.event.count({ where: { appId } })).toBe(0);
    const logs = await waitFor("the failure to be logged", () => {
      const text = hookpost.webLogs();
      return text.includes("test trigger refused an event") ? text : undefined;
    });
    expect(logs).not.toContain(MARKER);
  });
});

describe("the payload as the producer wrote it", () => {
  it("is answered, stored, sent and shown with its 64-bit ids, key order, number spelling and escapes", async () => {
    const appId = await createApp("Faithful");
    const endpoint = (await (
      await hookpost.api(`/apps/${appId}/endpoints`, { body: { url: receiver.url } })
    ).json()) as { id: string };
    const secret = (
      (await (await hookpost.api(`/apps/${appId}/endpoints/${endpoint.id}/secret`)).json()) as { key: string }
    ).key;
    const payload = `{"zeta":1, "alpha":2,"id":12345678901234567890,"amount":1.10,"big":1e400,"tiny":-0.0E-7,"s":"caf\\u00e9 \u00e9 \\ud83d\\ude00 \\"q\\" \\/"}`;
    const response = await post(appId, `{"eventType":"order.paid","payload":${payload},"eventId":"faithful-1"}`);
    expect(response.status).toBe(202);
    const answered = await response.text();
    expect(answered).toContain(`"payload":${payload}`);
    const event = JSON.parse(answered) as { id: string; createdAt: string };
    expect((await hookpost.db.event.findUniqueOrThrow({ where: { id: event.id } })).payload).toBe(payload);

    const request = await waitFor("the webhook to arrive", () =>
      receiver.requests.find((received) => received.headers["webhook-id"] === event.id),
    );
    expect(request.body).toBe(`{"type":"order.paid","timestamp":"${event.createdAt}","data":${payload}}`);
    expect(() => new Webhook(secret).verify(request.body, request.headers as Record<string, string>)).not.toThrow();

    const [delivery] = await hookpost.db.delivery.findMany({ where: { eventId: event.id } });
    const shown = (await getDeliveryDetail(hookpost.db, appId, delivery!.id)).event.payload;
    expect(shown.replace(/\s+/g, "")).toBe(payload.replace(/\s+/g, ""));
    expect(shown).toContain(`"id": 12345678901234567890,\n`);
  });
});
