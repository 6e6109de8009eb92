// The delivery suite (delivery-suite.ts) on one Redis, with the queue in one shard.
import { deliverySuite } from "./delivery-suite";

deliverySuite("delivery", { redis: () => Promise.resolve({ shards: 1 }) });
