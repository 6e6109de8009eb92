// API keys listed and revoked from the CLI, against two real web processes
// sharing one database and Redis: once `api-key revoke` returns, both refuse
// the key on their next request, well before their memory of it expires.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY_TTL_MS, createApiKey } from "../../lib/auth/api-keys";
import { startHookpost, type RunningHookpost } from "../support/hookpost";

let hookpost: RunningHookpost;
let second: { baseUrl: string; stop(): Promise<void> };

beforeAll(async () => {
  hookpost = await startHookpost();
  second = await hookpost.startWeb();
});

afterAll(async () => {
  await second?.stop();
  await hookpost?.stop();
});

async function status(baseUrl: string, key: string): Promise<number> {
  return (await fetch(`${baseUrl}/api/v1/apps`, { headers: { authorization: `Bearer ${key}` } })).status;
}

describe("api-key revoke", () => {
  it("is refused at once by every web process, and listed with when it was last used", async () => {
    const { id, key } = await createApiKey(hookpost.db, "to-revoke");
    const kept = await createApiKey(hookpost.db, "to-keep");
    const webs = [hookpost.baseUrl, second.baseUrl];
    // Both processes now remember the key as valid, for API_KEY_TTL_MS.
    const remembered = Date.now();
    expect(await Promise.all(webs.map((web) => status(web, key)))).toEqual([200, 200]);

    const revoke = await hookpost.cli(["api-key", "revoke", id]);
    expect(revoke.output).toContain(`Revoked API key ${id} (to-revoke)`);
    expect(revoke.code).toBe(0);
    expect(await Promise.all(webs.map((web) => status(web, key)))).toEqual([401, 401]);
    expect(Date.now() - remembered).toBeLessThan(API_KEY_TTL_MS);
    expect(await Promise.all(webs.map((web) => status(web, kept.key)))).toEqual([200, 200]);

    const list = await hookpost.cli(["api-key", "list"]);
    expect(list.code).toBe(0);
    const rows = list.output.split("\n");
    expect(rows.find((row) => row.startsWith("ID"))).toMatch(/^ID +NAME +CREATED +LAST USED +REVOKED$/);
    const revokedRow = rows.find((row) => row.startsWith(id))!;
    const stored = await hookpost.db.apiKey.findUniqueOrThrow({ where: { id } });
    expect(revokedRow.split(/ {2,}/)).toEqual([
      id,
      "to-revoke",
      stored.createdAt.toISOString(),
      stored.lastUsedAt!.toISOString(),
      stored.revokedAt!.toISOString(),
    ]);
    expect(stored.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(remembered - 1000);
    expect(rows.find((row) => row.startsWith(kept.id))).toMatch(/ -$/);
    expect(list.output).not.toContain(key);
    expect(list.output).not.toContain(stored.keyHash);
  }, 60_000);

  it("names the id when there is no such key, and changes nothing", async () => {
    const before = await hookpost.db.apiKey.findMany({ orderBy: { id: "asc" } });
    const revoke = await hookpost.cli(["api-key", "revoke", "key_nonexistent"]);
    expect(revoke.code).toBe(2);
    expect(revoke.output).toContain("no API key key_nonexistent");
    expect(await hookpost.db.apiKey.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });
});
