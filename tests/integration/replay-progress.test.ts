// A replay's progress, read from the attempts its actor asked for since it
// began: against the real worker, PostgreSQL and a receiver, with manual
// attempts by two actors, of two event types, before and after the start.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../lib/auth/api-keys";
import { readReplayProgress } from "../../lib/dashboard/replay-progress";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { startReceiver, type TestReceiver } from "../support/receiver";
import { waitFor } from "../support/services";

let hookpost: RunningHookpost;
let receiver: TestReceiver;

beforeAll(async () => {
  [hookpost, receiver] = await Promise.all([
    startHookpost({ env: { RETRY_SCHEDULE: "300ms" } }),
    startReceiver((request, _index, res) => {
      res.writeHead(request.body.includes('"fixed":true') ? 200 : 500).end();
    }),
  ]);
});

afterAll(async () => {
  await hookpost?.stop();
  await receiver?.close();
});

describe("replay progress", () => {
  it("counts each delivery of the range once, by its latest attempt from the replay's actor since it began", async () => {
    const app = (await (await hookpost.api("/apps", { body: { name: "Replayed" } })).json()) as { id: string };
    const endpoint = (await (
      await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url: receiver.url } })
    ).json()) as {
      id: string;
    };
    const from = new Date(Date.now() - 60_000).toISOString();
    const send = async (eventType: string, fixed: boolean) => {
      const response = await hookpost.api(`/apps/${app.id}/events`, { body: { eventType, payload: { fixed } } });
      const { id } = (await response.json()) as { id: string };
      return (await hookpost.db.delivery.findFirstOrThrow({ where: { eventId: id } })).id;
    };
    const [fixedA, fixedB, broken, otherType] = [
      await send("a", true),
      await send("a", true),
      await send("a", false),
      await send("b", true),
    ];
    // A retry before the replay began does not count.
    const early = await hookpost.api(`/apps/${app.id}/deliveries/${fixedA}/retry`, { method: "POST" });
    expect(early.status).toBe(202);
    await waitFor("the early retry", async () =>
      (await hookpost.db.attempt.count({ where: { deliveryId: fixedA, trigger: "manual" } })) === 1 ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 5));

    const since = new Date().toISOString();
    const other = await createApiKey(hookpost.db, "other");
    const retry = (deliveryId: string, key = hookpost.apiKey) =>
      fetch(`${hookpost.baseUrl}/api/v1/apps/${app.id}/deliveries/${deliveryId}/retry`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}` },
      });
    for (const id of [fixedA, fixedB, broken, otherType]) expect((await retry(id)).status).toBe(202);
    // Someone else's retry of the same range is not this replay's.
    expect((await retry(fixedB, other.key)).status).toBe(202);
    await waitFor("every manual attempt", async () =>
      (await hookpost.db.attempt.count({ where: { endpointId: endpoint.id, trigger: "manual" } })) === 6
        ? true
        : undefined,
    );

    const to = new Date(Date.now() + 60_000).toISOString();
    const query = { endpointId: endpoint.id, from, to, eventTypes: [] as string[], since, actor: "api key test" };
    expect(await readReplayProgress(hookpost.db, app.id, query)).toEqual({ succeeded: 3, failed: 1 });
    expect(await readReplayProgress(hookpost.db, app.id, { ...query, eventTypes: ["a"] })).toEqual({
      succeeded: 2,
      failed: 1,
    });
    expect(await readReplayProgress(hookpost.db, app.id, { ...query, actor: "api key other" })).toEqual({
      succeeded: 1,
      failed: 0,
    });
    // Nothing since a later start, nothing in a range before the deliveries, nothing of another app.
    expect(await readReplayProgress(hookpost.db, app.id, { ...query, since: to })).toEqual({ succeeded: 0, failed: 0 });
    expect(
      await readReplayProgress(hookpost.db, app.id, { ...query, to: new Date(Date.parse(from) + 1).toISOString() }),
    ).toEqual({ succeeded: 0, failed: 0 });
    expect(await readReplayProgress(hookpost.db, "app_other", query)).toEqual({ succeeded: 0, failed: 0 });
  });
});
