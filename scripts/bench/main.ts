// `npm run bench`: measures Hookpost against the machine's own ceiling.
// Every figure that matters is a ratio to a baseline taken in the same run,
// because absolute numbers on a shared machine are noise. See
// docs/performance.md for what each scenario means and the latest figures.
//
//   npm run bench                      all scenarios, 20 s each
//   npm run bench -- --scenario 2      one scenario (repeatable)
//   npm run bench -- --seconds 10 --concurrency 50 --soak-seconds 300 --cpu-prof
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem, release } from "node:os";
import { parseArgs } from "node:util";
import { Queue } from "bullmq";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { createApiKey } from "../../lib/auth/api-keys";
import { DELIVERY_QUEUE } from "../../lib/queue/jobs";
import {
  Api,
  attemptsBetween,
  closedLoop,
  createBenchApp,
  firstAttemptLatency,
  openLoop,
  pendingFirstAttempts,
  waitForFirstAttempts,
  type BenchApp,
  type IngestStats,
  type LatencySummary,
} from "./load";
import { runLogQueries, type LogResults } from "./log-queries";
import {
  cpuSeconds,
  measuredProcesses,
  rssMb,
  sampleMachine,
  scheduleBetween,
  serviceCpuSeconds,
  sleep,
  startStack,
  threadSchedule,
  type MachineSecond,
  type Stack,
} from "./stack";

const { values: flags } = parseArgs({
  options: {
    seconds: { type: "string", default: "20" },
    scenario: { type: "string", multiple: true },
    concurrency: { type: "string", default: "50" },
    // As many producers as scenario 3 has clients and the worker has slots.
    // With 20, the closed loop left every batch small: the same saturated
    // machine delivered a third less (docs/performance.md).
    "ingest-clients": { type: "string", default: "50" },
    "soak-seconds": { type: "string", default: "0" },
    "delivery-timeout": { type: "string", default: "2s" },
    "cpu-prof": { type: "boolean", default: false },
    // Extra V8/Node flags for the workers (repeatable), to try one against the defaults.
    "worker-node-flag": { type: "string", multiple: true },
    help: { type: "boolean", default: false },
  },
});
if (flags.help) {
  console.log(
    "npm run bench -- [--seconds 20] [--scenario N ...] [--concurrency 50] [--ingest-clients 50] [--soak-seconds 0] [--delivery-timeout 2s] [--cpu-prof] [--worker-node-flag F ...]",
  );
  process.exit(0);
}
const SECONDS = Number(flags.seconds);
const CONCURRENCY = Number(flags.concurrency);
const INGEST_CLIENTS = Number(flags["ingest-clients"]);
const SOAK_SECONDS = Number(flags["soak-seconds"]);
const WORKER_EXTRA_FLAGS = flags["worker-node-flag"] ?? [];
const SCENARIOS = new Set((flags.scenario ?? ["1", "2", "3", "4", "5", "6"]).map(Number));
const WARMUP_SECONDS = 3;
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const profileDir = flags["cpu-prof"] ? `bench-results/profiles-${stamp}` : undefined;

interface Row {
  scenario: string;
  metric: string;
  value: string;
  target?: string;
  pass?: boolean;
}
const rows: Row[] = [];
const results: Record<string, unknown> = {};
const notes: string[] = [];
const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : "n/a");
function row(scenario: string, metric: string, value: string, target?: string, pass?: boolean) {
  rows.push({ scenario, metric, value, target, pass });
  console.log(`  ${metric}: ${value}${target ? ` (target ${target}: ${pass ? "pass" : "FAIL"})` : ""}`);
}

/** Max and last RSS of the web app and the workers, sampled every second while a phase runs. */
function sampleResources(stack: Stack) {
  const start = {
    worker: stack.workers.reduce((sum, worker) => sum + cpuSeconds(worker.process.pid), 0),
    web: cpuSeconds(stack.web.process.pid),
    receiver: cpuSeconds(stack.receiver.process.pid),
    postgres: serviceCpuSeconds("postgres"),
    redis: serviceCpuSeconds("redis-server"),
    bench: process.cpuUsage(),
    at: performance.now(),
  };
  const peak = { worker: 0, web: 0 };
  const take = () => {
    peak.worker = Math.max(peak.worker, ...stack.workers.map((worker) => rssMb(worker.process.pid)), 0);
    peak.web = Math.max(peak.web, rssMb(stack.web.process.pid));
  };
  take();
  const timer = setInterval(take, 1000);
  return {
    stop() {
      clearInterval(timer);
      take();
      const seconds = (performance.now() - start.at) / 1000;
      const bench = process.cpuUsage(start.bench);
      const share = (used: number) => Math.round((used / seconds) * 100);
      return {
        workerRssMb: peak.worker,
        webRssMb: peak.web,
        cpuPercent: {
          worker: share(stack.workers.reduce((sum, worker) => sum + cpuSeconds(worker.process.pid), 0) - start.worker),
          web: share(cpuSeconds(stack.web.process.pid) - start.web),
          receiver: share(cpuSeconds(stack.receiver.process.pid) - start.receiver),
          postgres: share(serviceCpuSeconds("postgres") - start.postgres),
          redis: share(serviceCpuSeconds("redis-server") - start.redis),
          benchClient: share((bench.user + bench.system) / 1e6),
        },
      };
    },
  };
}

/**
 * A latency phase's worst second, and what the machine did in it: the
 * figures that tell a stall of our own from the machine's.
 */
function worstSecond(latency: LatencySummary, machine: MachineSecond[]): string {
  const p99s = latency.p99BySecond;
  const worst = p99s.reduce((at, p99, second) => (p99 > (p99s[at] ?? -1) ? second : at), 0);
  const inIt = machine[worst];
  const most = (kind: keyof MachineSecond) => Math.max(0, ...machine.map((second) => second[kind]));
  return (
    `s${worst} ${fmt(p99s[worst] ?? NaN)} ms: ${inIt ? `${inIt.busy}/${inIt.iowait}/${inIt.steal}` : "n/a"}` +
    ` (phase max ${most("iowait")}/${most("steal")})`
  );
}

/** CPU percent of every process of a run together (of one core: 200 is both cores). */
function allProcesses(cpu: ReturnType<ReturnType<typeof sampleResources>["stop"]>["cpuPercent"]): number {
  return cpu.worker + cpu.web + cpu.postgres + cpu.redis + cpu.receiver + cpu.benchClient;
}

/**
 * Starts counting the statements PostgreSQL committed in the bench database
 * and the commands Redis ran; the returned function reads both. Round trips
 * cost a system call and a wake-up on each side, so their count per
 * delivery explains much of the CPU each delivery costs.
 */
async function countRoundTrips(
  stack: Stack,
): Promise<() => Promise<{ pgTransactions: number; redisCommands: number }>> {
  const read = async () => {
    const { rows } = await stack.pool.query<{ n: string }>(
      "SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()",
    );
    const info = await stack.redis.info("stats");
    const commands = /total_commands_processed:(\d+)/.exec(info)?.[1];
    return { pg: Number(rows[0]!.n), redis: Number(commands) };
  };
  const before = await read();
  return async () => {
    // A busy backend publishes its counts about once a second, at both ends alike.
    const after = await read();
    // Less this function's own two statements.
    return { pgTransactions: after.pg - before.pg - 2, redisCommands: after.redis - before.redis - 2 };
  };
}

/** Stops the workers and leaves nothing due: pending deliveries are closed and the queue emptied. */
async function quiesce(stack: Stack) {
  await stack.stopWorkers();
  await stack.pool.query(`UPDATE deliveries SET status = 'failed', next_attempt_at = NULL WHERE status = 'pending'`);
  const queue = new Queue(DELIVERY_QUEUE, { connection: stack.redis, prefix: stack.queuePrefix });
  await queue.obliterate({ force: true });
  await queue.close();
}

/**
 * Starts a latency phase from a clean checkpoint, so that it does not pay
 * for the flush of what earlier phases wrote; the function returned tells
 * how many checkpoints ran during the phase all the same (its own writes).
 */
async function latencyPhase(stack: Stack): Promise<() => Promise<number>> {
  const count = async () => {
    const { rows } = await stack.pool.query<{ n: string }>(
      "SELECT checkpoints_timed + checkpoints_req AS n FROM pg_stat_bgwriter",
    );
    return Number(rows[0]!.n);
  };
  await stack.pool.query("CHECKPOINT");
  const before = await count();
  return async () => (await count()) - before;
}

/** Starts counting the attempts the workers put back because an endpoint was at its cap; the returned function reads the count. */
async function countDeferrals(stack: Stack): Promise<() => Promise<number>> {
  const before = await stack.workerCounter("hookpost_attempts_deferred_total");
  return async () => (await stack.workerCounter("hookpost_attempts_deferred_total")) - before;
}

function healthyApp(api: Api, uid: string, endpoints: number, path: string, perEvent: 1 | 5): Promise<BenchApp> {
  // Each endpoint subscribes to one type; an event of type t reaches `perEvent` endpoints.
  const types = perEvent === 1 ? endpoints : endpoints / perEvent;
  return createBenchApp(
    api,
    uid,
    Array.from({ length: endpoints }, (_, k) => ({ url: `${path}${k}`, eventTypes: [`${uid}.t${k % types}`] })),
    Array.from({ length: types }, (_, k) => `${uid}.t${k}`),
  );
}

/** The ceiling's deliveries/s, and the CPU all its processes spent per delivery. */
interface Ceiling {
  perSecond: number;
  cpuMsPerDelivery: number;
  /** PostgreSQL transactions and Redis commands per delivery. */
  roundTripsPerDelivery: { pg: number; redis: number };
}

interface CeilingRun extends Ceiling {
  deliveries: number;
  seconds: number;
  failures: number;
  rssMb: number;
  cpuPercent: { pipeline: number; postgres: number; redis: number; receiver: number };
}

/** One run of the hand-rolled pipeline (scripts/bench/raw-pipeline.ts); `run` numbers its queue. */
async function measureCeiling(stack: Stack, run: number): Promise<CeilingRun> {
  console.log(`\n[1] Raw ceiling, run ${run}: BullMQ job + HMAC + undici POST + pg insert, hand-rolled`);
  await stack.pool.query(`
    INSERT INTO apps (id, name, uid) VALUES ('app_benchraw', 'raw', 'bench-raw') ON CONFLICT DO NOTHING;
    INSERT INTO endpoints (id, app_id, url, event_types, secret, updated_at)
      VALUES ('ep_benchraw', 'app_benchraw', 'http://127.0.0.1/raw', '{}', 'unused', now()) ON CONFLICT DO NOTHING;
    INSERT INTO events (id, app_id, event_type, payload) VALUES ('msg_benchraw', 'app_benchraw', 'raw', '{}')
      ON CONFLICT DO NOTHING;
    INSERT INTO deliveries (id, app_id, event_id, endpoint_id, status)
      VALUES ('dlv_benchraw', 'app_benchraw', 'msg_benchraw', 'ep_benchraw', 'succeeded') ON CONFLICT DO NOTHING;`);
  const options = {
    databaseUrl: stack.databaseUrl,
    redisUrl: stack.workerEnv.REDIS_URL,
    prefix: `${stack.queuePrefix}_raw${run}`,
    url: `${stack.receiverUrl}/ok/raw`,
    deliveryId: "dlv_benchraw",
    endpointId: "ep_benchraw",
    concurrency: CONCURRENCY,
    seconds: SECONDS,
    warmupSeconds: WARMUP_SECONDS,
  };
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/bench/raw-pipeline.ts"], {
    env: { ...process.env, BENCH_RAW: JSON.stringify(options) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await sleep(WARMUP_SECONDS * 1000);
  const roundTrips = await countRoundTrips(stack);
  const pgAtStart = serviceCpuSeconds("postgres");
  const redisAtStart = serviceCpuSeconds("redis-server");
  const receiverAtStart = cpuSeconds(stack.receiver.process.pid);
  await new Promise<void>((resolve, reject) =>
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`raw pipeline exited ${code}`)))),
  );
  const trips = await roundTrips();
  const result = JSON.parse(output.trim().split("\n").at(-1)!) as {
    perSecond: number;
    deliveries: number;
    rssMb: number;
    failures: number;
    seconds: number;
    cpuSeconds: number;
  };
  const cpuPercent = {
    pipeline: Math.round((result.cpuSeconds / result.seconds) * 100),
    postgres: Math.round(((serviceCpuSeconds("postgres") - pgAtStart) / SECONDS) * 100),
    redis: Math.round(((serviceCpuSeconds("redis-server") - redisAtStart) / SECONDS) * 100),
    receiver: Math.round(((cpuSeconds(stack.receiver.process.pid) - receiverAtStart) / SECONDS) * 100),
  };
  console.log(`  deliveries/s: ${fmt(result.perSecond)}`);
  return {
    perSecond: result.perSecond,
    deliveries: result.deliveries,
    seconds: result.seconds,
    failures: result.failures,
    rssMb: result.rssMb,
    cpuPercent,
    cpuMsPerDelivery: cpuMsPer(
      cpuPercent.pipeline + cpuPercent.postgres + cpuPercent.redis + cpuPercent.receiver,
      result.perSecond,
    ),
    roundTripsPerDelivery: {
      pg: trips.pgTransactions / result.deliveries,
      redis: trips.redisCommands / result.deliveries,
    },
  };
}

/**
 * The ceiling (1) as the mean of its runs. With scenario 2 it is measured
 * before and after Hookpost's own run at 1 endpoint per event, so that a
 * machine that speeds up or slows down in between (these shared machines
 * differ by up to 2x within the hour) moves both sides of the ratio alike.
 */
function reportCeiling(runs: CeilingRun[]): Ceiling {
  const mean = (of: (run: CeilingRun) => number) => runs.reduce((sum, run) => sum + of(run), 0) / runs.length;
  const ceiling: Ceiling = {
    perSecond: mean((run) => run.perSecond),
    cpuMsPerDelivery: mean((run) => run.cpuMsPerDelivery),
    roundTripsPerDelivery: {
      pg: mean((run) => run.roundTripsPerDelivery.pg),
      redis: mean((run) => run.roundTripsPerDelivery.redis),
    },
  };
  results.raw = { ...ceiling, runs };
  const s = "1 raw ceiling";
  row(s, runs.length > 1 ? "deliveries/s (mean of runs before / after 2)" : "deliveries/s", fmt(ceiling.perSecond));
  if (runs.length > 1) row(s, "deliveries/s of each run", runs.map((run) => fmt(run.perSecond)).join(" / "));
  row(s, "pipeline RSS MB", String(Math.max(...runs.map((run) => run.rssMb))));
  const cpu = (name: keyof CeilingRun["cpuPercent"]) => Math.round(mean((run) => run.cpuPercent[name]));
  row(
    s,
    "CPU % (pipeline/postgres/redis/receiver)",
    `${cpu("pipeline")}/${cpu("postgres")}/${cpu("redis")}/${cpu("receiver")}`,
  );
  return ceiling;
}

/** Milliseconds of CPU per item, from CPU percents (of one core) summed over processes, at `perSecond` items. */
function cpuMsPer(percent: number, perSecond: number): number {
  return (percent / 100 / perSecond) * 1000;
}

interface E2eResult {
  eventsPerSecond: number;
  deliveriesPerSecond: number;
  drainPerSecond?: number;
  fullLoadLatency?: LatencySummary;
  ingest: IngestStats;
  /** PostgreSQL transactions and Redis commands per delivery at full load. */
  roundTripsPerDelivery: { pg: number; redis: number };
  /** Times a thread of any measured process was put on a core, per event ingested at full load. */
  slicesPerEvent: number;
}

async function e2ePhase(
  stack: Stack,
  api: Api,
  app: BenchApp,
  perEvent: number,
): Promise<E2eResult & { resources: ReturnType<ReturnType<typeof sampleResources>["stop"]> }> {
  await closedLoop(api, app, INGEST_CLIENTS, WARMUP_SECONDS);
  const sampler = sampleResources(stack);
  const roundTrips = await countRoundTrips(stack);
  const scheduledBefore = threadSchedule(measuredProcesses(stack));
  const from = new Date();
  const ingest = await closedLoop(api, app, INGEST_CLIENTS, SECONDS);
  const to = new Date();
  const scheduled = scheduleBetween(scheduledBefore, threadSchedule(measuredProcesses(stack)));
  const resources = sampler.stop();
  const trips = await roundTrips();
  const attempted = await attemptsBetween(stack.pool, app.id, from, to);
  const deliveriesPerSecond = attempted / ((to.getTime() - from.getTime()) / 1000);
  // What is left is the worker's backlog: how fast it drains is the worker alone.
  const backlog = await pendingFirstAttempts(stack.pool, app.id);
  const drainStart = performance.now();
  const drained = await waitForFirstAttempts(stack.pool, app.id, Math.max(60_000, SECONDS * 4000));
  const drainSeconds = (performance.now() - drainStart) / 1000;
  if (!drained) notes.push(`scenario 2 (${perEvent}/event): backlog not drained within the limit`);
  const fullLoadLatency = await firstAttemptLatency(stack.pool, app.id, from, to);
  return {
    eventsPerSecond: ingest.perSecond,
    deliveriesPerSecond,
    drainPerSecond: backlog >= 200 && drained ? backlog / drainSeconds : undefined,
    fullLoadLatency,
    ingest,
    resources,
    roundTripsPerDelivery: {
      pg: trips.pgTransactions / attempted,
      redis: trips.redisCommands / attempted,
    },
    slicesPerEvent: scheduled.slices / ingest.accepted,
  };
}

/** `ceilingRuns`: the ceiling's first run, when scenario 1 is measured too; its second is made here. */
async function scenarioE2e(stack: Stack, api: Api, ceilingRuns: CeilingRun[] | undefined) {
  console.log("\n[2] Hookpost end to end: POST /events -> worker -> receiver, every attempt recorded");
  const one = await healthyApp(api, "bench-e2e-1", 50, `${stack.receiverUrl}/ok/a`, 1);
  const five = await healthyApp(api, "bench-e2e-5", 50, `${stack.receiverUrl}/ok/b`, 5);
  await stack.startWorkers(1);
  const at1 = await e2ePhase(stack, api, one, 1);
  const ceiling = ceilingRuns ? reportCeiling([...ceilingRuns, await measureCeiling(stack, 2)]) : undefined;
  const at5 = await e2ePhase(stack, api, five, 5);
  // A quarter of the sustained rate, open loop: the latency Hookpost adds
  // when the machine is not saturated, which is what is targeted.
  const quarterRate = Math.max(1, Math.floor(at1.deliveriesPerSecond / 4));
  const quarterFrom = new Date();
  await openLoop(api, one, quarterRate, SECONDS);
  const quarterTo = new Date();
  await waitForFirstAttempts(stack.pool, one.id, 60_000);
  const quarterLatency = await firstAttemptLatency(stack.pool, one.id, quarterFrom, quarterTo);
  // Half of the sustained rate, reported: on two cores the machine is then nearly full.
  const halfRate = Math.max(1, Math.floor(at1.deliveriesPerSecond / 2));
  const halfCheckpoints = await latencyPhase(stack);
  const halfDeferrals = await countDeferrals(stack);
  await stack.eventLoopDelay();
  const halfSampler = sampleResources(stack);
  const halfRoundTrips = await countRoundTrips(stack);
  const scheduledBefore = threadSchedule(measuredProcesses(stack));
  const halfMachine = sampleMachine();
  const from = new Date();
  const half = await openLoop(api, one, halfRate, SECONDS);
  const to = new Date();
  const machineAtHalf = halfMachine.stop();
  const scheduled = scheduleBetween(scheduledBefore, threadSchedule(measuredProcesses(stack)));
  const halfResources = halfSampler.stop();
  const halfTrips = await halfRoundTrips();
  const scheduledPerEvent = {
    run: scheduled.run / half.accepted,
    wait: scheduled.wait / half.accepted,
    slices: scheduled.slices / half.accepted,
  };
  const halfTripsPerEvent = {
    pg: halfTrips.pgTransactions / half.accepted,
    redis: halfTrips.redisCommands / half.accepted,
  };
  const loopDelayAtHalf = await stack.eventLoopDelay();
  const checkpointsAtHalf = await halfCheckpoints();
  await waitForFirstAttempts(stack.pool, one.id, 60_000);
  const deferredAtHalf = await halfDeferrals();
  const halfLatency = await firstAttemptLatency(stack.pool, one.id, from, to);
  // Each ingestion batch names its first-attempts job on its delivery rows.
  const { rows: batchRows } = await stack.pool.query<{ per_batch: number }>(
    `SELECT count(*)::float / greatest(count(DISTINCT next_attempt_job), 1) AS per_batch
     FROM deliveries WHERE app_id = $1 AND created_at >= $2 AND created_at < $3`,
    [one.id, from, to],
  );
  const eventsPerBatchAtHalf = Number(batchRows[0]!.per_batch);
  results.e2e = {
    onePerEvent: at1,
    fivePerEvent: at5,
    quarter: { rate: quarterRate, latency: quarterLatency },
    half: {
      rate: halfRate,
      ingest: half,
      latency: halfLatency,
      checkpoints: checkpointsAtHalf,
      deferred: deferredAtHalf,
      eventsPerBatch: eventsPerBatchAtHalf,
      eventLoopDelayMs: loopDelayAtHalf,
      cpuPercent: halfResources.cpuPercent,
      roundTripsPerEvent: halfTripsPerEvent,
      schedulePerEvent: scheduledPerEvent,
      machineBySecond: machineAtHalf,
    },
  };

  const s = "2 end to end";
  const ratio = ceiling ? at1.deliveriesPerSecond / ceiling.perSecond : NaN;
  row(s, "1 endpoint/event: events/s ingested", fmt(at1.eventsPerSecond));
  row(s, "1 endpoint/event: deliveries/s", fmt(at1.deliveriesPerSecond));
  row(s, "1 endpoint/event: ratio to (1)", fmt(ratio, 2), ">= 0.70", ratio >= 0.7);
  if (at1.drainPerSecond && ceiling) {
    row(
      s,
      "worker alone (backlog drain) deliveries/s, ratio to (1)",
      `${fmt(at1.drainPerSecond)} (${fmt(at1.drainPerSecond / ceiling.perSecond, 2)})`,
    );
  }
  row(s, "5 endpoints/event: deliveries/s", fmt(at5.deliveriesPerSecond));
  if (ceiling) row(s, "5 endpoints/event: ratio to (1)", fmt(at5.deliveriesPerSecond / ceiling.perSecond, 2));
  const full = at1.fullLoadLatency!;
  row(s, "first attempt ms at full load p50/p95/p99", `${fmt(full.p50)}/${fmt(full.p95)}/${fmt(full.p99)}`);
  row(
    s,
    `first attempt ms at a quarter rate (${quarterRate}/s) p50/p95/p99`,
    `${fmt(quarterLatency.p50)}/${fmt(quarterLatency.p95)}/${fmt(quarterLatency.p99)}`,
    "p99 < 50",
    quarterLatency.p99 < 50,
  );
  row(
    s,
    `first attempt ms at half rate (${halfRate}/s) p50/p95/p99`,
    `${fmt(halfLatency.p50)}/${fmt(halfLatency.p95)}/${fmt(halfLatency.p99)}`,
  );
  row(s, "worst second at half rate: p99, then machine % busy/iowait/steal", worstSecond(halfLatency, machineAtHalf));
  row(s, "PostgreSQL checkpoints during the half-rate run", String(checkpointsAtHalf));
  row(s, "attempts deferred by an endpoint's cap, half-rate run", String(deferredAtHalf));
  row(s, "API p99 ms at full load", fmt(at1.ingest.latencyMs.p99));
  // Not in the first-attempt figure, which starts at the event's commit: what the API adds before it.
  row(s, "API p50/p99 ms at half rate", `${fmt(half.latencyMs.p50, 1)}/${fmt(half.latencyMs.p99, 1)}`);
  row(s, "events per ingestion batch at half rate", fmt(eventsPerBatchAtHalf, 1));
  const halfCpu = halfResources.cpuPercent;
  row(
    s,
    "CPU % at half rate (worker/web/postgres/redis/receiver/client)",
    `${halfCpu.worker}/${halfCpu.web}/${halfCpu.postgres}/${halfCpu.redis}/${halfCpu.receiver}/${halfCpu.benchClient}`,
  );
  row(
    s,
    "PostgreSQL transactions/Redis commands per event at half rate",
    `${fmt(halfTripsPerEvent.pg, 2)}/${fmt(halfTripsPerEvent.redis, 2)}`,
  );
  // A thread woken with work waits for a core before it runs: on a nearly
  // full machine that wait, spread over every hop, is the latency's tail.
  row(
    s,
    "ms per event at half rate, all processes: running / ready but waiting for a core",
    `${fmt(scheduledPerEvent.run, 2)} / ${fmt(scheduledPerEvent.wait, 2)}`,
  );
  // Each time a thread is put on a core is a wake-up (or a preemption): at
  // full load one wake-up finds several messages waiting, at half rate
  // nearly each message is one, and on these VMs a wake-up is dear.
  row(
    s,
    "times a thread was put on a core per event, all processes: full load / half rate",
    `${fmt(at1.slicesPerEvent, 2)} / ${fmt(scheduledPerEvent.slices, 2)}`,
  );
  const { web: webLoop, worker: workerLoop } = loopDelayAtHalf;
  row(
    s,
    "event-loop delay ms at half rate p99/max: web / worker",
    `${fmt(webLoop.p99)}/${fmt(webLoop.max)} / ${fmt(workerLoop.p99)}/${fmt(workerLoop.max)}`,
  );
  row(
    s,
    "worker RSS MB (peak)",
    String(Math.max(at1.resources.workerRssMb, at5.resources.workerRssMb)),
    "< 250",
    Math.max(at1.resources.workerRssMb, at5.resources.workerRssMb) < 250,
  );
  row(s, "web RSS MB (peak)", String(Math.max(at1.resources.webRssMb, at5.resources.webRssMb)));
  const cpu = at1.resources.cpuPercent;
  row(
    s,
    "CPU % at full load (worker/web/postgres/redis/receiver/client)",
    `${cpu.worker}/${cpu.web}/${cpu.postgres}/${cpu.redis}/${cpu.receiver}/${cpu.benchClient}`,
  );
  // Steal and neighbours move throughput between runs far more than they
  // move the CPU each delivery costs: this ratio is the steadier one.
  const cpuMs = cpuMsPer(allProcesses(cpu), at1.deliveriesPerSecond);
  if (ceiling) {
    row(
      s,
      "CPU ms per delivery, all processes: ceiling / end to end (ratio)",
      `${fmt(ceiling.cpuMsPerDelivery, 2)} / ${fmt(cpuMs, 2)} (${fmt(ceiling.cpuMsPerDelivery / cpuMs, 2)})`,
    );
  }
  // An event at half rate costs more than at full load (smaller batches,
  // a wake-up for nearly every message); how much more decides how full the
  // machine is in the half-rate phase, whatever the throughput.
  const halfCpuMs = cpuMsPer(allProcesses(halfCpu), half.perSecond);
  row(
    s,
    "CPU ms per event, all processes: full load / half rate (ratio)",
    `${fmt(cpuMs, 2)} / ${fmt(halfCpuMs, 2)} (${fmt(halfCpuMs / cpuMs, 2)}; machine ${fmt(allProcesses(halfCpu) / cpus().length)}% busy at half rate)`,
  );
  const trips = at1.roundTripsPerDelivery;
  const ceilingTrips = ceiling
    ? `${fmt(ceiling.roundTripsPerDelivery.pg, 2)}/${fmt(ceiling.roundTripsPerDelivery.redis, 2)} / `
    : "";
  row(
    s,
    `PostgreSQL transactions/Redis commands per delivery: ${ceiling ? "ceiling / " : ""}end to end`,
    `${ceilingTrips}${fmt(trips.pg, 2)}/${fmt(trips.redis, 2)}`,
  );
  await quiesce(stack);
  return { halfRate, halfP99: halfLatency.p99 };
}

async function scenarioIngest(stack: Stack, api: Api) {
  console.log("\n[3] Ingestion alone: POST /events at 50 clients vs a raw pg insert loop of the same rows");
  await stack.stopWorkers();
  const app = await healthyApp(api, "bench-ingest", 1, `${stack.receiverUrl}/ok/i`, 1);
  await closedLoop(api, app, 50, WARMUP_SECONDS);
  const sampler = sampleResources(stack);
  const ingest = await closedLoop(api, app, 50, SECONDS);
  const resources = sampler.stop();

  // The same rows (an event with a 1 KiB payload and its delivery), committed together, 50 at a time
  // over 10 connections, as many as the web app's main pool (its ingestion batches use one at a time).
  const endpointId = app.endpointIds[0]!;
  const payload = JSON.stringify({ sequence: 0, filler: "x".repeat(990) });
  let inserted = 0;
  const rawLatencies: number[] = [];
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  let sequence = 0;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (performance.now() < deadline) {
        const n = sequence++;
        const t0 = performance.now();
        const client = await stack.pool.connect();
        try {
          await client.query("BEGIN");
          await client.query(`INSERT INTO events (id, app_id, event_type, payload) VALUES ($1, $2, $3, $4)`, [
            `msg_raw${stamp}${n}`,
            app.id,
            app.eventTypes[0],
            payload,
          ]);
          await client.query(
            `INSERT INTO deliveries (id, app_id, event_id, endpoint_id, next_attempt_at, status) VALUES ($1, $2, $3, $4, now(), 'succeeded')`,
            [`dlv_raw${stamp}${n}`, app.id, `msg_raw${stamp}${n}`, endpointId],
          );
          await client.query("COMMIT");
          inserted++;
        } finally {
          client.release();
        }
        rawLatencies.push(performance.now() - t0);
      }
    }),
  );
  const rawPerSecond = inserted / ((performance.now() - started) / 1000);
  rawLatencies.sort((a, b) => a - b);
  const rawP99 = rawLatencies[Math.floor(rawLatencies.length * 0.99)] ?? NaN;
  const ratio = ingest.perSecond / rawPerSecond;
  results.ingest = { api: ingest, resources, raw: { perSecond: rawPerSecond, p99: rawP99, inserted } };
  const s = "3 ingestion";
  row(s, "POST /events accepted/s (50 clients)", fmt(ingest.perSecond));
  row(s, "POST /events p50/p99 ms", `${fmt(ingest.latencyMs.p50, 1)}/${fmt(ingest.latencyMs.p99, 1)}`);
  row(s, "errors", String(ingest.errors));
  row(s, "raw pg insert loop rows/s (p99 ms)", `${fmt(rawPerSecond)} (${fmt(rawP99, 1)})`);
  row(s, "ratio to raw insert", fmt(ratio, 2), ">= 0.50", ratio >= 0.5);
  const cpu = resources.cpuPercent;
  row(s, "CPU % (web/postgres/redis/client)", `${cpu.web}/${cpu.postgres}/${cpu.redis}/${cpu.benchClient}`);
  await quiesce(stack);
}

async function scenarioFailures(stack: Stack, api: Api, rate: number, e2eHalfP99: number | undefined) {
  console.log(`\n[4] Failure-heavy: half the endpoints answer 500 or hang, ${rate} events/s open loop`);
  const types = (uid: string) => Array.from({ length: 10 }, (_, k) => `${uid}.t${k}`);
  const healthy = await createBenchApp(
    api,
    "bench-fail-base",
    Array.from({ length: 10 }, (_, k) => ({
      url: `${stack.receiverUrl}/ok/h${k}`,
      eventTypes: [`bench-fail-base.t${k}`],
    })),
    types("bench-fail-base"),
  );
  const kinds = ["ok", "ok", "ok", "ok", "ok", "fail", "fail", "fail", "hang", "hang"];
  const mixed = await createBenchApp(
    api,
    "bench-fail-mixed",
    kinds.map((kind, k) => ({ url: `${stack.receiverUrl}/${kind}/f${k}`, eventTypes: [`bench-fail-mixed.t${k}`] })),
    types("bench-fail-mixed"),
  );
  const healthyIds = mixed.endpointIds.slice(0, 5);
  await stack.startWorkers(1);
  await closedLoop(api, healthy, 5, WARMUP_SECONDS);

  const baselineCheckpoints = await latencyPhase(stack);
  const baselineDeferrals = await countDeferrals(stack);
  let sampler = sampleResources(stack);
  let roundTrips = await countRoundTrips(stack);
  let machine = sampleMachine();
  let from = new Date();
  await openLoop(api, healthy, rate, SECONDS);
  let to = new Date();
  const machineAtBaseline = machine.stop();
  const baselineResources = sampler.stop();
  const baselineTrips = await roundTrips();
  await waitForFirstAttempts(stack.pool, healthy.id, 60_000);
  const deferredAtBaseline = await baselineDeferrals();
  const baseline = await firstAttemptLatency(stack.pool, healthy.id, from, to);
  const checkpointsAtBaseline = await baselineCheckpoints();

  const mixedCheckpoints = await latencyPhase(stack);
  const mixedDeferrals = await countDeferrals(stack);
  sampler = sampleResources(stack);
  roundTrips = await countRoundTrips(stack);
  machine = sampleMachine();
  from = new Date();
  await openLoop(api, mixed, rate, SECONDS);
  to = new Date();
  const machineAtMixed = machine.stop();
  const resources = sampler.stop();
  const mixedTrips = await roundTrips();
  // Only the healthy endpoints' first attempts are waited for: the hanging ones are capped on purpose.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const { rows: left } = await stack.pool.query<{ count: string }>(
      `SELECT count(*) FROM deliveries WHERE app_id = $1 AND attempt_count = 0 AND endpoint_id = ANY($2)`,
      [mixed.id, healthyIds],
    );
    if (Number(left[0]!.count) === 0) break;
    await sleep(250);
  }
  const isolated = await firstAttemptLatency(stack.pool, mixed.id, from, to, healthyIds);
  const checkpointsAtMixed = await mixedCheckpoints();
  const deferredAtMixed = await mixedDeferrals();
  const { rows: outcomes } = await stack.pool.query<{ kind: string; attempts: string }>(
    `SELECT CASE WHEN a.response_status_code = 500 THEN '500' WHEN a.error IS NOT NULL THEN a.error ELSE a.response_status_code::text END AS kind,
            count(*) AS attempts
     FROM attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.app_id = $1 GROUP BY 1`,
    [mixed.id],
  );
  const reference = e2eHalfP99 ?? baseline.p99;
  const ratio = isolated.p99 / reference;
  results.failures = {
    rate,
    baseline,
    isolated,
    outcomes,
    resources,
    baselineResources,
    roundTrips: { baseline: baselineTrips, mixed: mixedTrips },
    checkpoints: { baseline: checkpointsAtBaseline, mixed: checkpointsAtMixed },
    deferred: { baseline: deferredAtBaseline, mixed: deferredAtMixed },
    machineBySecond: { baseline: machineAtBaseline, mixed: machineAtMixed },
    comparedWith: e2eHalfP99 ? "scenario 2 half rate" : "own baseline",
  };
  const s = "4 failure-heavy";
  row(s, "healthy-only baseline first attempt p50/p99 ms", `${fmt(baseline.p50)}/${fmt(baseline.p99)}`);
  row(s, "with failing/hanging half: healthy p50/p99 ms", `${fmt(isolated.p50)}/${fmt(isolated.p99)}`);
  row(s, "attempts by outcome (failing app)", outcomes.map((o) => `${o.kind}:${o.attempts}`).join(" "));
  row(
    s,
    `healthy p99 / ${e2eHalfP99 ? "scenario 2 half-rate" : "baseline"} p99`,
    fmt(ratio, 2),
    "<= 1.5",
    ratio <= 1.5,
  );
  row(s, "healthy p99 / same-rate healthy baseline p99", fmt(isolated.p99 / baseline.p99, 2));
  row(s, "baseline's worst second: p99, then machine % busy/iowait/steal", worstSecond(baseline, machineAtBaseline));
  row(s, "mixed phase's worst second (healthy p99), machine as above", worstSecond(isolated, machineAtMixed));
  row(s, "PostgreSQL checkpoints during baseline / mixed", `${checkpointsAtBaseline} / ${checkpointsAtMixed}`);
  row(s, "attempts deferred by an endpoint's cap, baseline / mixed", `${deferredAtBaseline} / ${deferredAtMixed}`);
  // What the failing half costs: the same event rate, with and without it.
  const events = rate * SECONDS;
  row(
    s,
    "CPU % all processes, baseline / mixed",
    `${allProcesses(baselineResources.cpuPercent)} / ${allProcesses(resources.cpuPercent)}`,
  );
  row(
    s,
    "PostgreSQL transactions/Redis commands per event, baseline / mixed",
    `${fmt(baselineTrips.pgTransactions / events, 2)}/${fmt(baselineTrips.redisCommands / events, 2)} / ` +
      `${fmt(mixedTrips.pgTransactions / events, 2)}/${fmt(mixedTrips.redisCommands / events, 2)}`,
  );
  await quiesce(stack);
}

async function scenarioLogs(stack: Stack) {
  console.log("\n[5] Log queries at scale: 1,000,000 attempts across 100 endpoints");
  const logs: LogResults = await runLogQueries(stack.pool, stack.databaseUrl);
  results.logs = logs;
  notes.push(`scenario 5: ${logs.source}`);
  const s = "5 log queries";
  row(s, `seeded in s (hot endpoint: ${logs.seed.hotEndpointAttempts} attempts)`, fmt(logs.seed.seconds, 1));
  for (const query of logs.queries)
    row(s, `${query.name} ms`, `${fmt(query.ms, 1)}${query.seqScanOnAttempts ? " SEQ SCAN" : ""}`);
  row(s, "dashboard log first page ms", fmt(logs.firstPageMs, 1), "< 50", logs.firstPageMs < 50);
  row(s, "slowest first page (any filter) ms", fmt(logs.worstFirstPageMs, 1), "< 50", logs.worstFirstPageMs < 50);
  row(s, "dashboard log deep/first (all)", fmt(logs.deepOverFirst, 2), "<= 2", logs.deepOverFirst <= 2);
  row(s, "deep/first (worst filter)", fmt(logs.worstDeepOverFirst, 2), "<= 2", logs.worstDeepOverFirst <= 2);
  row(s, "seq scan on attempts", logs.anySeqScanOnAttempts ? "yes" : "none", "none", !logs.anySeqScanOnAttempts);
}

async function scenarioScaleOut(stack: Stack, api: Api) {
  console.log("\n[6] Scale-out: 1 vs 2 worker processes draining the same backlog");
  const measured: Array<{
    workers: number;
    backlog: number;
    perSecond: number;
    workerCpuMsPerDelivery: number;
    perWorker: number[];
    jobsFailed: number[];
    duplicates: number;
    redelivered: number;
  }> = [];
  for (const count of [1, 2]) {
    await quiesce(stack);
    await stack.resetReceiver();
    const app = await healthyApp(api, `bench-scale-${count}`, 50, `${stack.receiverUrl}/ok/s${count}-`, 1);
    await closedLoop(api, app, 50, Math.max(5, SECONDS / 2));
    const workers = await stack.startWorkers(count);
    const backlog = await pendingFirstAttempts(stack.pool, app.id);
    const cpuAtStart = workers.reduce((sum, worker) => sum + cpuSeconds(worker.process.pid), 0);
    const started = performance.now();
    const drained = await waitForFirstAttempts(stack.pool, app.id, Math.max(60_000, SECONDS * 6000));
    const seconds = (performance.now() - started) / 1000;
    const workerCpuSeconds = workers.reduce((sum, worker) => sum + cpuSeconds(worker.process.pid), 0) - cpuAtStart;
    const perWorker = await stack.workerCounters("hookpost_attempts_total", workers);
    if (!drained) notes.push(`scenario 6 (${count} workers): backlog not drained within the limit`);
    await sleep(500);
    const stats = await stack.receiverStats();
    const { rows: again } = await stack.pool.query<{ count: string }>(
      `SELECT count(*) FROM deliveries WHERE app_id = $1 AND attempt_count > 1`,
      [app.id],
    );
    measured.push({
      workers: count,
      backlog,
      perSecond: backlog / seconds,
      // Less sensitive to other load on the machine than deliveries/s.
      workerCpuMsPerDelivery: (workerCpuSeconds * 1000) / backlog,
      perWorker,
      jobsFailed: workers.map((worker) => worker.logs.jobsFailed),
      duplicates: stats.duplicates,
      redelivered: Number(again[0]!.count),
    });
  }
  await quiesce(stack);
  results.scaleOut = measured;
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

async function soak(stack: Stack, api: Api) {
  console.log(`\n[soak] Worker RSS over ${SOAK_SECONDS} s at full load`);
  const app = await healthyApp(api, "bench-soak", 50, `${stack.receiverUrl}/ok/k`, 1);
  const [worker] = await stack.startWorkers(1);
  const samples: Array<{ second: number; workerRssMb: number; webRssMb: number }> = [];
  const started = performance.now();
  const load = closedLoop(api, app, INGEST_CLIENTS, SOAK_SECONDS);
  while (performance.now() - started < SOAK_SECONDS * 1000) {
    await sleep(10_000);
    samples.push({
      second: Math.round((performance.now() - started) / 1000),
      workerRssMb: rssMb(worker!.process.pid),
      webRssMb: rssMb(stack.web.process.pid),
    });
  }
  const ingest = await load;
  const delivered = Number(
    (
      await stack.pool.query<{ count: string }>(
        `SELECT count(*) FROM deliveries WHERE app_id = $1 AND attempt_count > 0`,
        [app.id],
      )
    ).rows[0]!.count,
  );
  // The first sample is past start-up and warm-up; growth is judged from there.
  const first = samples[0]!;
  const last = samples.at(-1)!;
  const peak = Math.max(...samples.map((sample) => sample.workerRssMb));
  const growth = last.workerRssMb - first.workerRssMb;
  results.soak = { seconds: SOAK_SECONDS, samples, ingest, delivered };
  const s = "soak";
  row(
    s,
    `worker RSS MB at ${first.second} s -> ${last.second} s (peak)`,
    `${first.workerRssMb} -> ${last.workerRssMb} (${peak})`,
    "< 250, growth < 10%",
    peak < 250 && growth < first.workerRssMb * 0.1,
  );
  row(s, "web RSS MB start -> end", `${first.webRssMb} -> ${last.webRssMb}`);
  row(s, "events ingested / deliveries attempted", `${ingest.accepted} / ${delivered}`);
  await quiesce(stack);
}

function machine() {
  const cpuList = cpus();
  let pgVersion = "";
  try {
    pgVersion = execFileSync("psql", ["--version"], { encoding: "utf8" }).trim();
  } catch {
    pgVersion = "unknown";
  }
  return {
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    kernel: release(),
    loadavgAtStart: loadavg().map((value) => Math.round(value * 100) / 100),
    postgres: pgVersion,
  };
}

function printTable() {
  const headers = ["scenario", "metric", "value", "target", "result"];
  const body = rows.map((r) => [
    r.scenario,
    r.metric,
    r.value,
    r.target ?? "",
    r.target ? (r.pass ? "pass" : "FAIL") : "",
  ]);
  const widths = headers.map((header, i) => Math.max(header.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ");
  const out = [line(headers), widths.map((w) => "-".repeat(w)).join("-|-"), ...body.map(line)].join("\n");
  console.log(`\n${out}`);
  return out;
}

async function main() {
  const info = machine();
  console.log(
    `Machine: ${info.cpus} x ${info.cpuModel}, ${info.memoryGb} GB, node ${info.node}, load ${info.loadavgAtStart.join(" ")}`,
  );
  const stack = await startStack({
    workerConcurrency: CONCURRENCY,
    deliveryTimeout: flags["delivery-timeout"],
    profileDir,
    workerNodeFlags: WORKER_EXTRA_FLAGS,
  });
  const settings = await stack.pool.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'shared_buffers', 'max_connections', 'wal_level')`,
  );
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: stack.databaseUrl }) });
  const { key } = await createApiKey(db, "bench");
  await db.$disconnect();
  const api = new Api(stack.baseUrl, key, 64);
  const startedAt = new Date();
  try {
    let e2e: { halfRate: number; halfP99: number } | undefined;
    const ceilingRuns = SCENARIOS.has(1) ? [await measureCeiling(stack, 1)] : undefined;
    if (SCENARIOS.has(2)) e2e = await scenarioE2e(stack, api, ceilingRuns);
    else if (ceilingRuns) reportCeiling(ceilingRuns);
    if (SCENARIOS.has(3)) await scenarioIngest(stack, api);
    if (SCENARIOS.has(4)) await scenarioFailures(stack, api, e2e?.halfRate ?? 100, e2e?.halfP99);
    if (SCENARIOS.has(6)) await scenarioScaleOut(stack, api);
    if (SCENARIOS.has(5)) await scenarioLogs(stack);
    if (SOAK_SECONDS > 0) await soak(stack, api);
  } finally {
    const table = printTable();
    if (notes.length > 0) console.log(`\nNotes:\n${notes.map((note) => `- ${note}`).join("\n")}`);
    mkdirSync("bench-results", { recursive: true });
    const file = `bench-results/bench-${stamp}.json`;
    writeFileSync(
      file,
      JSON.stringify(
        {
          startedAt,
          finishedAt: new Date(),
          machine: { ...info, postgresSettings: Object.fromEntries(settings.rows.map((r) => [r.name, r.setting])) },
          options: {
            seconds: SECONDS,
            concurrency: CONCURRENCY,
            ingestClients: INGEST_CLIENTS,
            deliveryTimeout: flags["delivery-timeout"],
            scenarios: [...SCENARIOS],
            soakSeconds: SOAK_SECONDS,
            profileDir,
            workerNodeFlags: WORKER_EXTRA_FLAGS,
          },
          table: rows,
          tableText: table,
          notes,
          results,
        },
        null,
        2,
      ),
    );
    console.log(`\nWritten: ${file}${profileDir ? `\nWorker CPU profiles: ${profileDir}` : ""}`);
    await api.close();
    await stack.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
