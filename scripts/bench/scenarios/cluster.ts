// Scenario 7, Redis Cluster: scenario 2's closed loop (1 endpoint per event,
// 50 endpoints) on a fresh stack per Redis layout: the local Redis with one
// queue, then a 3-primary cluster (with 3 replicas) with the delivery queue
// in 1 shard and in 3. Every accepted event must be delivered; duplicates
// are counted. On a 2-core machine the cluster's six servers and the extra
// hops are cost with nothing to gain: the figures show that cost, not a
// speed-up, which needs the primaries on machines of their own.
import { startRedisCluster } from "../../../tests/support/redis-cluster";
import type { Bench } from "../context";
import { Api, attemptsBetween, closedLoop, healthyApp, waitForFirstAttempts } from "../load";
import { allProcesses, cpuMsPer, sampleResources, type Resources } from "../measures";
import { fmt } from "../report";
import { benchApiKey, sleep, startStack, type StackOptions } from "../stack";

interface Layout {
  name: string;
  redisUrl?: string;
  queueShards: number;
}

interface ClusterRun {
  layout: string;
  deliveriesPerSecond: number;
  cpuMsPerDelivery: number;
  cpuPercent: Resources["cpuPercent"];
  accepted: number;
  /** Accepted events without a succeeded delivery once the backlog drained. */
  lost: number;
  duplicates: number;
}

async function runLayout({ options, report }: Bench, stackOptions: StackOptions, layout: Layout): Promise<ClusterRun> {
  const stack = await startStack({ ...stackOptions, redisUrl: layout.redisUrl, queueShards: layout.queueShards });
  const api = new Api(stack.baseUrl, await benchApiKey(stack), 64);
  try {
    const app = await healthyApp(api, "bench-cluster", 50, `${stack.receiverUrl}/ok/c`, 1);
    await stack.startWorkers(1);
    const warmup = await closedLoop(api, app, options.ingestClients, options.warmupSeconds);
    const sampler = sampleResources(stack);
    const from = new Date();
    const ingest = await closedLoop(api, app, options.ingestClients, options.seconds);
    const to = new Date();
    const resources = sampler.stop();
    const attempted = await attemptsBetween(stack.pool, app.id, from, to);
    const deliveriesPerSecond = attempted / ((to.getTime() - from.getTime()) / 1000);
    const drained = await waitForFirstAttempts(stack.pool, app.id, Math.max(60_000, options.seconds * 4000));
    if (!drained) report.note(`scenario 7 (${layout.name}): backlog not drained within the limit`);
    await sleep(500);
    const accepted = warmup.accepted + ingest.accepted;
    const { rows } = await stack.pool.query<{ delivered: string }>(
      `SELECT count(DISTINCT event_id) AS delivered FROM deliveries WHERE app_id = $1 AND status = 'succeeded'`,
      [app.id],
    );
    const stats = await stack.receiverStats();
    return {
      layout: layout.name,
      deliveriesPerSecond,
      cpuMsPerDelivery: cpuMsPer(allProcesses(resources.cpuPercent), deliveriesPerSecond),
      cpuPercent: resources.cpuPercent,
      accepted,
      lost: accepted - Number(rows[0]!.delivered),
      duplicates: stats.duplicates,
    };
  } finally {
    await api.close();
    await stack.close();
  }
}

export async function scenarioCluster(bench: Bench, stackOptions: StackOptions) {
  console.log("\n[7] Redis Cluster: end to end on the local Redis, then a 3-primary cluster with 1 and 3 queue shards");
  const runs: ClusterRun[] = [await runLayout(bench, stackOptions, { name: "one Redis, 1 shard", queueShards: 1 })];
  const cluster = await startRedisCluster();
  try {
    for (const queueShards of [1, 3]) {
      runs.push(
        await runLayout(bench, stackOptions, {
          name: `cluster, ${queueShards} shard${queueShards === 1 ? "" : "s"}`,
          redisUrl: cluster.url,
          queueShards,
        }),
      );
    }
  } finally {
    await cluster.stop();
  }
  bench.report.results.cluster = runs;
  const { row } = bench.report;
  const s = "7 cluster";
  const [single] = runs;
  for (const run of runs) {
    const ratio = single ? ` (${fmt(run.deliveriesPerSecond / single.deliveriesPerSecond, 2)} of one Redis)` : "";
    row(s, `${run.layout}: deliveries/s`, `${fmt(run.deliveriesPerSecond)}${ratio}`);
    row(
      s,
      `${run.layout}: CPU ms per delivery, all processes (redis CPU %)`,
      `${fmt(run.cpuMsPerDelivery, 2)} (${run.cpuPercent.redis})`,
    );
    row(
      s,
      `${run.layout}: accepted events lost / duplicate webhook-ids`,
      `${run.lost} of ${run.accepted} / ${run.duplicates}`,
      "0 lost",
      run.lost === 0,
    );
  }
}
