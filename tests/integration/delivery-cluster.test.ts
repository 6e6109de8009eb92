// The delivery suite on a Redis Cluster of our own (3 primaries, 3
// replicas) with the queue in 3 shards, then a primary killed with SIGKILL
// under load: every event answered 202 must still be delivered.
import { describe, expect, it } from "vitest";
import { queueShards } from "../../lib/queue/shards";
import { answer } from "../support/receiver";
import { startRedisCluster, type RedisCluster } from "../support/redis-cluster";
import { waitFor } from "../support/services";
import { deliverySuite, hookpost, receiver } from "./delivery-suite";

let cluster: RedisCluster;

deliverySuite("delivery on a Redis Cluster, the queue in 3 shards", {
  redis: async () => {
    cluster = await startRedisCluster();
    return { url: cluster.url, shards: 3, stop: () => cluster.stop() };
  },
});

describe("on a Redis Cluster", () => {
  it("puts the queue's three shards on three different primaries", async () => {
    const shards = queueShards(hookpost.queuePrefix, 3, true);
    const primaries = await Promise.all(shards.map((shard) => cluster.primaryOf(shard.slot!)));
    expect(new Set(primaries.map((node) => node.port)).size).toBe(3);
    // The worker says so too, from its own slot map.
    const logs = await waitFor("the worker to report its shards' primaries", () =>
      hookpost.workerLogs().includes("queue shards on the cluster's primaries") ? hookpost.workerLogs() : undefined,
    );
    expect(logs).not.toContain("queue shards share a primary");
  });

  it("is ready, every primary refusing to evict", async () => {
    const response = await fetch(`${hookpost.baseUrl}/api/health/ready`);
    expect(await response.json()).toMatchObject({
      status: "ok",
      checks: { redis: "ok", redisEvictionPolicy: "ok" },
    });
    expect(response.status).toBe(200);
  });

  it("delivers every event answered 202 when a primary dies mid-load and its replica takes over", async () => {
    receiver.respond(answer(200));
    const app = (await (await hookpost.api("/apps", { body: { name: "failover" } })).json()) as { id: string };
    for (let n = 0; n < 6; n++) {
      const created = await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url: `${receiver.url}?e=${n}` } });
      expect(created.status).toBe(201);
    }
    const shard0 = queueShards(hookpost.queuePrefix, 3, true)[0]!;
    const accepted: string[] = [];
    let refused = 0;
    let killed: Promise<unknown> | undefined;
    const TOTAL = 300;
    let next = 0;
    // Ten senders at once; the primary of shard 0 is killed once a third is accepted.
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < TOTAL) {
          const n = next++;
          const response = await hookpost.api(`/apps/${app.id}/events`, {
            body: { eventType: "load", payload: { n } },
          });
          if (response.status === 202) accepted.push(((await response.json()) as { id: string }).id);
          else refused++;
          if (accepted.length >= TOTAL / 3 && !killed) killed = cluster.killPrimary(shard0.slot!);
        }
      }),
    );
    const dead = (await killed) as { port: number };
    await waitFor(
      "a replica to take over the dead primary's slots",
      async () => ((await cluster.primaryOf(shard0.slot!)).port !== dead.port ? true : undefined),
      30_000,
    );
    expect(accepted.length + refused).toBe(TOTAL);
    expect(accepted.length).toBeGreaterThan(0);

    await hookpost.waitForSucceeded(app.id, accepted.length * 6, "every accepted event at all six endpoints", 120_000);
    // What each endpoint received of each event: once is right, more is a duplicate, none is lost.
    const received = new Map<string, number>();
    for (const request of receiver.requests) {
      const key = `${String(request.headers["webhook-id"])} ${request.url}`;
      received.set(key, (received.get(key) ?? 0) + 1);
    }
    const expected = accepted.flatMap((id) => Array.from({ length: 6 }, (_, n) => `${id} /webhook?e=${n}`));
    const lost = expected.filter((key) => !received.has(key));
    const duplicates = expected.reduce((sum, key) => sum + Math.max(0, (received.get(key) ?? 0) - 1), 0);
    console.log(
      `primary killed under load: ${accepted.length} events accepted (202), ${refused} refused, ` +
        `${expected.length} deliveries, ${lost.length} lost, ${duplicates} duplicates (a webhook-id sent again to its endpoint)`,
    );
    expect(lost).toEqual([]);
  });
});
