// Two web processes and three workers on a Redis Cluster of our own, the
// queue in three shards (many-processes-suite.ts).
import { startRedisCluster } from "../support/redis-cluster";
import { manyProcessesSuite } from "./many-processes-suite";

manyProcessesSuite("two web processes and three workers on a Redis Cluster", {
  redis: async () => {
    const cluster = await startRedisCluster();
    return { url: cluster.url, shards: 3, stop: () => cluster.stop() };
  },
});
