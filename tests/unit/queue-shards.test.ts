import { describe, expect, it } from "vitest";
import { queueShards, shardOf, shardPlacement } from "@/lib/queue/shards";

describe("queue shards", () => {
  it("spreads shards' hash tags over the slot space and keeps one shard on one Redis under QUEUE_PREFIX", () => {
    expect(queueShards("hookpost", 1, false)).toEqual([{ index: 0, prefix: "hookpost", slot: undefined }]);
    const shards = queueShards("hookpost", 3, true);
    shards.forEach((shard, index) => {
      expect(shard.prefix).toMatch(/^\{hookpost-\d+-\d+\}$/);
      // Each in the middle half of its third, so in the third of the primary that serves it.
      expect(shard.slot).toBeGreaterThanOrEqual((index * 16384) / 3 + 16384 / 12);
      expect(shard.slot).toBeLessThan((index * 16384) / 3 + (3 * 16384) / 12);
    });
    const counts = [0, 0, 0];
    for (let n = 0; n < 3000; n++) counts[shardOf(`ep_${n}`, 3)]!++;
    for (const count of counts) expect(count).toBeGreaterThan(900);
    expect(shardOf("ep_1", 3)).toBe(shardOf("ep_1", 3));
  });

  it("says which primary serves each shard, and when two share one while another primary has none", () => {
    const shards = queueShards("hookpost", 3, true);
    const evenly = Array.from({ length: 16384 }, (_, slot) => [`node${Math.floor((slot * 3) / 16384)}`, "replica"]);
    expect(shardPlacement(shards, evenly)).toEqual({
      primaries: [
        { shard: 0, primary: "node0" },
        { shard: 1, primary: "node1" },
        { shard: 2, primary: "node2" },
      ],
      crowded: false,
    });
    const moved = evenly.map((nodes, slot) => (slot === shards[1]!.slot ? ["node0"] : nodes));
    expect(shardPlacement(shards, moved).crowded).toBe(true);
  });
});
