// Scenario 6, scale-out: a backlog ingested with no worker running, drained
// by one worker process, then (a fresh backlog) by two; no webhook may be
// sent twice.
import type { Bench } from "../context";
import { closedLoop, healthyApp, pendingFirstAttempts, waitForFirstAttempts } from "../load";
import { quiesce } from "../measures";
import { fmt } from "../report";
import { cpuSeconds, sleep, type Child } from "../stack";

interface Drain {
  workers: number;
  backlog: number;
  perSecond: number;
  workerCpuMsPerDelivery: number;
  perWorker: number[];
  jobsFailed: number[];
  duplicates: number;
  redelivered: number;
}

const cpuOf = (workers: Child[]) => workers.reduce((sum, worker) => sum + cpuSeconds(worker.process.pid), 0);

/** Ingests a backlog with no worker running, then times `count` workers draining it. */
async function drainWith({ stack, api, options, report }: Bench, count: number): Promise<Drain> {
  await quiesce(stack);
  await stack.resetReceiver();
  const app = await healthyApp(api, `bench-scale-${count}`, 50, `${stack.receiverUrl}/ok/s${count}-`, 1);
  await closedLoop(api, app, 50, Math.max(5, options.seconds / 2));
  const workers = await stack.startWorkers(count);
  const backlog = await pendingFirstAttempts(stack.pool, app.id);
  const cpuAtStart = cpuOf(workers);
  const started = performance.now();
  const drained = await waitForFirstAttempts(stack.pool, app.id, Math.max(60_000, options.seconds * 6000));
  const seconds = (performance.now() - started) / 1000;
  const workerCpuSeconds = cpuOf(workers) - cpuAtStart;
  const perWorker = await stack.workerCounters("hookpost_attempts_total", workers);
  if (!drained) report.note(`scenario 6 (${count} workers): backlog not drained within the limit`);
  await sleep(500);
  const stats = await stack.receiverStats();
  const { rows: again } = await stack.pool.query<{ count: string }>(
    `SELECT count(*) FROM deliveries WHERE app_id = $1 AND attempt_count > 1`,
    [app.id],
  );
  return {
    workers: count,
    backlog,
    perSecond: backlog / seconds,
    // Less sensitive to other load on the machine than deliveries/s.
    workerCpuMsPerDelivery: (workerCpuSeconds * 1000) / backlog,
    perWorker,
    jobsFailed: workers.map((worker) => worker.logs.jobsFailed),
    duplicates: stats.duplicates,
    redelivered: Number(again[0]!.count),
  };
}

export async function scenarioScaleOut(bench: Bench) {
  console.log("\n[6] Scale-out: 1 vs 2 worker processes draining the same backlog");
  const measured: Drain[] = [];
  for (const count of [1, 2]) measured.push(await drainWith(bench, count));
  await quiesce(bench.stack);
  bench.report.results.scaleOut = measured;
  const { row } = bench.report;
  const s = "6 scale-out";
  for (const m of measured) {
    row(s, `${m.workers} worker(s): deliveries/s draining ${m.backlog}`, fmt(m.perSecond));
    row(s, `${m.workers} worker(s): worker CPU ms per delivery`, fmt(m.workerCpuMsPerDelivery, 2));
    row(
      s,
      `${m.workers} worker(s): attempts per worker (jobs failed)`,
      m.perWorker.map((n, i) => `${n} (${m.jobsFailed[i]})`).join(" / "),
    );
    row(
      s,
      `${m.workers} worker(s): duplicate webhook-ids at receiver`,
      String(m.duplicates),
      "0",
      m.duplicates === 0 && m.redelivered === 0,
    );
  }
  const [one, two] = measured;
  if (one && two) row(s, "2 workers / 1 worker", fmt(two.perSecond / one.perSecond, 2));
}
