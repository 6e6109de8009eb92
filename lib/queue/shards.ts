// The delivery queue is QUEUE_SHARDS BullMQ queues. A BullMQ queue keeps
// all its keys in one hash slot (its Lua scripts touch several at once),
// so on a Redis Cluster one queue can use only one primary: shards spread
// the queue over the primaries. Each endpoint belongs to one shard, so its
// jobs keep their order, and its rate limit key lives beside them.
import { createHash } from "node:crypto";
import calculateSlot from "cluster-key-slot";

export const CLUSTER_SLOTS = 16_384;

export interface QueueShard {
  index: number;
  /** The BullMQ prefix of the shard's queue; on a cluster a hash tag, `{...}`. */
  prefix: string;
  /** The hash slot of every key of the shard, or undefined outside a cluster. */
  slot: number | undefined;
}

/**
 * The shards' prefixes. One shard on one Redis keeps QUEUE_PREFIX itself,
 * as a single-Redis installation's keys have always been named. Otherwise
 * each shard's prefix is a hash tag chosen so that shard i of n falls in
 * the middle of the i-th n-th of the slot space: `redis-cli --cluster
 * create` gives each primary an equal run of slots in order, so n shards
 * over n primaries land one on each (`{hookpost-0}` and `{hookpost-1}`
 * would hash wherever CRC16 puts them, often on one primary).
 */
export function queueShards(queuePrefix: string, count: number, cluster: boolean): QueueShard[] {
  if (count === 1 && !cluster) return [{ index: 0, prefix: queuePrefix, slot: undefined }];
  return Array.from({ length: count }, (_, index) => {
    const width = CLUSTER_SLOTS / count;
    const low = Math.floor(width * index + width / 4);
    const high = Math.ceil(width * index + (3 * width) / 4);
    for (let attempt = 0; ; attempt++) {
      const tag = `${queuePrefix}-${index}-${attempt}`;
      const slot = calculateSlot(tag);
      if (slot >= low && slot < high) return { index, prefix: `{${tag}}`, slot: cluster ? slot : undefined };
    }
  });
}

/** The shard of an endpoint: every delivery to it goes through that shard's queue. */
export function shardOf(endpointId: string, count: number): number {
  if (count === 1) return 0;
  return createHash("sha1").update(endpointId).digest().readUInt32BE(0) % count;
}

/**
 * Which primary serves each shard, from a cluster's slot map (ioredis's
 * `cluster.slots`: the nodes of each slot, primary first), and whether
 * shards share a primary that another primary could have taken.
 */
export function shardPlacement(
  shards: QueueShard[],
  slots: string[][],
): { primaries: Array<{ shard: number; primary: string | undefined }>; crowded: boolean } {
  const primaries = shards.map((shard) => ({
    shard: shard.index,
    primary: shard.slot === undefined ? undefined : slots[shard.slot]?.[0],
  }));
  const all = new Set(slots.map((nodes) => nodes[0]).filter((node) => node !== undefined));
  const used = new Set(primaries.map((entry) => entry.primary));
  return { primaries, crowded: used.size < Math.min(shards.length, all.size) };
}
