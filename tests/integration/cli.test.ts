// The CLI as an operator uses it without the dashboard: each command spawned
// as its own process against a running Hookpost (real PostgreSQL, Redis,
// web and worker), its table and its --json read back, its exit code and
// its one-line refusals checked, and what it queues sent by the worker.
import { userInfo } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { answer, startReceiver, type TestReceiver } from "../support/receiver";
import { waitFor } from "../support/services";

let hookpost: RunningHookpost;
let receiver: TestReceiver;
const ACTOR = `cli (${userInfo().username})`;

beforeAll(async () => {
  receiver = await startReceiver(answer(200, "ok"));
  // One retry, soon: a delivery to a failing endpoint fails within a second or two.
  hookpost = await startHookpost({ env: { RETRY_SCHEDULE: "300ms" } });
}, 120_000);

afterAll(async () => {
  await hookpost?.stop();
  await receiver?.close();
});

async function cli(...args: string[]) {
  return hookpost.cli(args);
}

/** A command that succeeded, its output parsed as the JSON it printed. */
async function cliJson<T>(...args: string[]): Promise<T> {
  const run = await cli(...args, "--json");
  expect(run.code, run.output).toBe(0);
  return JSON.parse(run.output) as T;
}

/** A refused command: exit 2 and one line, which must name `flag`. */
async function expectRefused(args: string[], flag: string, exitCode = 2) {
  const run = await cli(...args);
  expect(run.code, run.output).toBe(exitCode);
  const lines = run.output.trim().split("\n");
  expect(lines, run.output).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^hookpost ${args[0]}( ${args[1]})?: `));
  expect(lines[0]).toContain(flag);
  return lines[0]!;
}

/** The rows of a printed table, split into their cells. */
function rows(output: string): string[][] {
  return output
    .trim()
    .split("\n")
    .map((line) => line.split(/ {2,}/));
}

function requestsFor(eventId: string) {
  return receiver.requests.filter((request) => request.headers["webhook-id"] === eventId);
}

async function newApp(uid: string) {
  return cliJson<{ id: string; uid: string; name: string }>("app", "create", "--name", `App ${uid}`, "--uid", uid);
}

async function newEndpoint(app: string, url = receiver.url) {
  return cliJson<{ id: string; url: string; disabled: boolean }>("endpoint", "add", "--app", app, "--url", url);
}

describe("app", () => {
  it("create prints the app as a table, or as the API's JSON; list shows it", async () => {
    const created = await cli("app", "create", "--name", "Acme Inc", "--uid", "acme");
    expect(created.code, created.output).toBe(0);
    const [header, row] = rows(created.output);
    expect(header).toEqual(["ID", "UID", "NAME", "CREATED"]);
    const stored = await hookpost.db.app.findUniqueOrThrow({ where: { uid: "acme" } });
    expect(row).toEqual([stored.id, "acme", "Acme Inc", stored.createdAt.toISOString()]);

    const json = await cliJson<{ id: string }>("app", "create", "--name", "Beta");
    const fromApi: unknown = await (await hookpost.api(`/apps/${json.id}`)).json();
    expect(json).toEqual(fromApi);

    const list = await cli("app", "list");
    expect(list.code).toBe(0);
    const listed = rows(list.output);
    expect(listed[0]).toEqual(["ID", "UID", "NAME", "CREATED"]);
    // Newest first, as the API lists them.
    expect(listed.slice(1, 3).map((cells) => cells[0])).toEqual([json.id, stored.id]);
    expect(await cliJson("app", "list")).toEqual(await (await hookpost.api("/apps")).json());

    const paged = await cli("app", "list", "--limit", "1");
    expect(paged.code).toBe(0);
    expect(paged.output).toMatch(/\nMore: npm run hookpost -- app list --cursor \S+\n?$/);
  }, 120_000);

  it("refuses bad input in one line naming the flag, and changes nothing", async () => {
    const before = await hookpost.db.app.count();
    expect(await expectRefused(["app", "create", "--name", "Again", "--uid", "acme"], "--uid")).toContain(
      "already exists",
    );
    await Promise.all([
      expectRefused(["app", "create", "--uid", "no-name"], "--name: missing"),
      expectRefused(["app", "create", "--name", "X", "--uid", "app_reserved"], "--uid"),
      expectRefused(["app", "create", "--name", "X", "--colour", "red"], "unknown flag --colour"),
      expectRefused(["app", "create", "--name"], "--name: needs a value"),
      expectRefused(["app", "list", "--limit", "0"], "--limit"),
    ]);
    expect(await hookpost.db.app.count()).toBe(before);
  }, 120_000);
});

describe("endpoint", () => {
  it("add, list and disable go through the use cases, logged as the CLI", async () => {
    const app = await newApp("endpoints");
    const added = await cli(
      "endpoint",
      "add",
      "--app",
      "endpoints",
      "--url",
      receiver.url,
      "--types",
      "invoice.paid,invoice.void",
      "--rate-limit",
      "5",
    );
    expect(added.code, added.output).toBe(0);
    const [header, row] = rows(added.output);
    expect(header).toEqual(["ID", "URL", "EVENT TYPES", "STATE", "RATE LIMIT", "CREATED"]);
    const endpoint = await hookpost.db.endpoint.findFirstOrThrow({ where: { appId: app.id } });
    expect(row).toEqual([
      endpoint.id,
      receiver.url,
      "invoice.paid,invoice.void",
      "enabled",
      "5/s",
      endpoint.createdAt.toISOString(),
    ]);
    // Its secret is sealed as the web app seals them.
    expect(endpoint.secret).toMatch(/^enc:v1:/);

    const list = await cli("endpoint", "list", "--app", app.id);
    expect(list.code).toBe(0);
    expect(rows(list.output)[1]![0]).toBe(endpoint.id);
    expect(await cliJson("endpoint", "list", "--app", "endpoints")).toEqual(
      await (await hookpost.api(`/apps/${app.id}/endpoints`)).json(),
    );

    const disabled = await cli("endpoint", "disable", endpoint.id);
    expect(disabled.code, disabled.output).toBe(0);
    expect(disabled.output.trim()).toBe(`Disabled endpoint ${endpoint.id} (${receiver.url}).`);
    expect((await hookpost.db.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).disabled).toBe(true);
    const enabled = await cliJson<{ disabled: boolean }>("endpoint", "enable", endpoint.id, "--app", "endpoints");
    expect(enabled.disabled).toBe(false);

    const activity = await hookpost.db.activity.findMany({ where: { appId: app.id }, orderBy: { id: "asc" } });
    expect(activity.map((entry) => [entry.actor, entry.action])).toEqual([
      [ACTOR, "endpoint.created"],
      [ACTOR, "endpoint.disabled"],
      [ACTOR, "endpoint.enabled"],
    ]);
  }, 120_000);

  it("refuses bad input naming the flag, and changes nothing", async () => {
    const app = await newApp("endpoint-refusals");
    const other = await newApp("endpoint-other");
    const endpoint = await newEndpoint(other.id);
    await Promise.all([
      expectRefused(["endpoint", "add", "--app", app.id, "--url", "ftp://example.com"], "--url"),
      expectRefused(["endpoint", "add", "--app", app.id], "--url: missing"),
      expectRefused(["endpoint", "add", "--app", "nope", "--url", receiver.url], "--app: no such app"),
      expectRefused(
        ["endpoint", "add", "--app", app.id, "--url", receiver.url, "--rate-limit", "fast"],
        "--rate-limit",
      ),
      expectRefused(["endpoint", "add", "--app", app.id, "--url", receiver.url, "--types", "a b!"], "--types"),
      expectRefused(["endpoint", "list"], "--app: missing"),
      expectRefused(["endpoint", "disable"], "<endpoint-id>: missing"),
      expectRefused(["endpoint", "disable", "ep_nope"], "<endpoint-id>: no such endpoint"),
      // Another app's endpoint is not found in this one.
      expectRefused(["endpoint", "disable", endpoint.id, "--app", app.id], "<endpoint-id>: no such endpoint"),
    ]);
    expect(await hookpost.db.endpoint.count({ where: { appId: app.id } })).toBe(0);
    expect((await hookpost.db.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).disabled).toBe(false);
  }, 120_000);
});

describe("event send", () => {
  it("stores the event as the API does, and the worker sends it", async () => {
    const app = await newApp("events");
    await newEndpoint(app.id);
    const payload = '{"invoice": 12345678901234567890, "total": 1.10}';
    const sent = await cli("event", "send", "--app", "events", "--type", "invoice.paid", "--payload", payload);
    expect(sent.code, sent.output).toBe(0);
    const [header, row, note] = sent.output.trim().split("\n");
    expect(header!.split(/ {2,}/)).toEqual(["ID", "TYPE", "CREATED", "DELIVERIES"]);
    const [eventId, type, , deliveries] = row!.split(/ {2,}/);
    expect([type, deliveries]).toEqual(["invoice.paid", "1"]);
    expect(note).toBe("Queued 1 delivery; the worker sends it.");
    await waitFor("the worker to send the event", () => (requestsFor(eventId!).length === 1 ? true : undefined));
    expect(requestsFor(eventId!)[0]!.body).toContain(`"data":${payload}`);

    const keyed = ["event", "send", "--app", app.id, "--type", "invoice.paid", "--payload", "{}"];
    const first = await cliJson<{ id: string; duplicate: boolean; deliveryIds: string[] }>(
      ...keyed,
      "--idempotency-key",
      "k-1",
    );
    expect(first.duplicate).toBe(false);
    expect(first.deliveryIds).toHaveLength(1);
    const again = await cliJson<{ id: string; duplicate: boolean; deliveryIds: string[] }>(
      ...keyed,
      "--idempotency-key",
      "k-1",
    );
    expect(again).toMatchObject({ id: first.id, duplicate: true, deliveryIds: [] });
  }, 120_000);

  it("refuses a bad event naming the flag, and stores nothing", async () => {
    const app = await newApp("event-refusals");
    const send = (...flags: string[]) => ["event", "send", "--app", app.id, ...flags];
    await Promise.all([
      expectRefused(send("--type", "bad type!", "--payload", "{}"), "--type"),
      expectRefused(send("--type", "a", "--payload", "[1]"), "--payload: payload must be a JSON object"),
      expectRefused(send("--type", "a", "--payload", '{"n": 01}'), "--payload: payload.n"),
      expectRefused(send("--type", "a", "--payload", '{"n": 1'), "--payload: the payload is not valid JSON"),
      expectRefused(send("--type", "a", "--payload", '{},"eventId":"x"'), "--payload: must be one JSON object"),
      expectRefused(send("--type", "a"), "--payload: missing"),
      expectRefused(send("--type", "a", "--payload", "{}", "--idempotency-key", "x".repeat(300)), "--idempotency-key"),
      expectRefused(["event", "send", "--app", "nope", "--type", "a", "--payload", "{}"], "--app: no such app"),
    ]);
    expect(await hookpost.db.event.count({ where: { appId: app.id } })).toBe(0);
  }, 120_000);
});

describe("delivery retry and replay", () => {
  it("retry queues one attempt, which the worker makes, asked by the CLI", async () => {
    const app = await newApp("retries");
    await newEndpoint(app.id);
    const event = await cliJson<{ id: string; deliveryIds: string[] }>(
      "event",
      "send",
      "--app",
      app.id,
      "--type",
      "a",
      "--payload",
      "{}",
    );
    const deliveryId = event.deliveryIds[0]!;
    await waitFor("the first attempt", () => (requestsFor(event.id).length === 1 ? true : undefined));

    const retried = await cli("delivery", "retry", deliveryId);
    expect(retried.code, retried.output).toBe(0);
    expect(retried.output.trim()).toBe(`Queued a retry of delivery ${deliveryId}; the worker sends it.`);
    await waitFor("the retry", () => (requestsFor(event.id).length === 2 ? true : undefined));
    await waitFor("the retry to be recorded", async () =>
      (await hookpost.db.attempt.count({ where: { deliveryId, trigger: "manual", triggeredBy: ACTOR } })) === 1
        ? true
        : undefined,
    );
    expect(await cliJson("delivery", "retry", deliveryId, "--app", "retries")).toEqual({ deliveryId, queued: true });
    const activity = await hookpost.db.activity.findMany({ where: { appId: app.id, action: "delivery.retried" } });
    expect(activity.map((entry) => entry.actor)).toEqual([ACTOR, ACTOR]);

    const other = await newApp("retries-other");
    await Promise.all([
      expectRefused(["delivery", "retry", deliveryId, "--app", other.id], "<delivery-id>: no such delivery"),
      expectRefused(["delivery", "retry", "dlv_nope"], "<delivery-id>: no such delivery"),
      expectRefused(["delivery", "retry"], "<delivery-id>: missing"),
    ]);
  }, 120_000);

  it("replay counts with --dry-run, then queues the failed deliveries of the range", async () => {
    const app = await newApp("replays");
    const failing = await startReceiver(answer(500, "down"));
    const endpoint = await newEndpoint(app.id, failing.url);
    const event = await cliJson<{ id: string; deliveryIds: string[] }>(
      "event",
      "send",
      "--app",
      app.id,
      "--type",
      "invoice.paid",
      "--payload",
      "{}",
    );
    const deliveryId = event.deliveryIds[0]!;
    await waitFor("the delivery to fail", async () =>
      (await hookpost.db.delivery.findUniqueOrThrow({ where: { id: deliveryId } })).status === "failed"
        ? true
        : undefined,
    );
    failing.respond(answer(200, "ok"));
    const attemptsBefore = failing.requests.length;

    const dryRun = await cli("replay", "--endpoint", endpoint.id, "--since", "1h", "--dry-run");
    expect(dryRun.code, dryRun.output).toBe(0);
    expect(dryRun.output).toMatch(
      new RegExp(
        `^1 failed delivery of endpoint ${endpoint.id} from \\S+ to \\S+ would be queued again.*Nothing was queued\\.\n?$`,
      ),
    );
    const counted = await cliJson<{ dryRun: boolean; count: number }>(
      "replay",
      "--endpoint",
      endpoint.id,
      "--since",
      "1h",
      "--types",
      "invoice.void",
      "--dry-run",
    );
    expect(counted).toMatchObject({ dryRun: true, count: 0 });
    expect(await hookpost.db.activity.count({ where: { appId: app.id, action: "endpoint.replayed" } })).toBe(0);

    const since = new Date(Date.now() - 60_000).toISOString();
    const replayed = await cliJson<{ dryRun: boolean; count: number }>(
      "replay",
      "--endpoint",
      endpoint.id,
      "--since",
      since,
      "--types",
      "invoice.paid",
    );
    expect(replayed).toMatchObject({ dryRun: false, count: 1 });
    await waitFor("the replayed delivery", () => (failing.requests.length === attemptsBefore + 1 ? true : undefined));
    await waitFor("the delivery to succeed", async () =>
      (await hookpost.db.delivery.findUniqueOrThrow({ where: { id: deliveryId } })).status === "succeeded"
        ? true
        : undefined,
    );
    const activity = await hookpost.db.activity.findMany({ where: { appId: app.id, action: "endpoint.replayed" } });
    expect(activity.map((entry) => entry.actor)).toEqual([ACTOR]);

    await Promise.all([
      expectRefused(["replay", "--since", "1h"], "--endpoint: missing"),
      expectRefused(["replay", "--endpoint", endpoint.id], "--since: missing"),
      expectRefused(["replay", "--endpoint", endpoint.id, "--since", "last week"], "--since"),
      expectRefused(["replay", "--endpoint", endpoint.id, "--since", "1h", "--until", "2h"], "--until"),
      expectRefused(["replay", "--endpoint", "ep_nope", "--since", "1h"], "--endpoint: no such endpoint"),
      expectRefused(["replay", "--endpoint", endpoint.id, "--since", "1h", "--dry"], "unknown flag --dry"),
    ]);
    await failing.close();
  }, 120_000);
});

describe("the command line", () => {
  it("names an unknown command in one line, and prints the usage on help", async () => {
    const unknown = await cli("endpoint", "remove", "x");
    expect(unknown.code).toBe(2);
    expect(unknown.output.trim()).toBe('hookpost: unknown command "endpoint remove" (see: npm run hookpost -- help)');
    const help = await cli("help");
    expect(help.code).toBe(0);
    for (const command of ["app list", "app create", "endpoint add", "event send", "delivery retry", "replay"]) {
      expect(help.output).toContain(`  ${command}`);
    }
  }, 60_000);
});
