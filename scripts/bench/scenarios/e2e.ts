// Scenario 2, end to end: events through POST /events, delivered by the
// worker to the receiver and every attempt recorded; throughput against the
// ceiling (1), then first-attempt latency in open loop at a quarter and at
// half of the sustained rate.
import { cpus } from "node:os";
import type { Bench } from "../context";
import {
  attemptsBetween,
  closedLoop,
  firstAttemptLatency,
  healthyApp,
  openLoop,
  pendingFirstAttempts,
  waitForFirstAttempts,
  type BenchApp,
  type IngestStats,
  type LatencySummary,
} from "../load";
import {
  allProcesses,
  countDeferrals,
  countRoundTrips,
  cpuMsPer,
  latencyPhase,
  quiesce,
  sampleResources,
  worstSecond,
  type Resources,
} from "../measures";
import { fmt, type Report } from "../report";
import {
  measuredProcesses,
  sampleMachine,
  scheduleBetween,
  threadSchedule,
  type EventLoopDelay,
  type MachineSecond,
  type Stack,
} from "../stack";
import { measureCeiling, reportCeiling, type Ceiling, type CeilingRun } from "./ceiling";

interface FullLoad {
  eventsPerSecond: number;
  deliveriesPerSecond: number;
  drainPerSecond?: number;
  fullLoadLatency?: LatencySummary;
  ingest: IngestStats;
  resources: Resources;
  /** PostgreSQL transactions and Redis commands per delivery at full load. */
  roundTripsPerDelivery: { pg: number; redis: number };
  /** Times a thread of any measured process was put on a core, per event ingested at full load. */
  slicesPerEvent: number;
}

interface QuarterRate {
  rate: number;
  latency: LatencySummary;
}

interface HalfRate {
  rate: number;
  ingest: IngestStats;
  latency: LatencySummary;
  checkpoints: number;
  deferred: number;
  eventsPerBatch: number;
  eventLoopDelayMs: { web: EventLoopDelay; worker: EventLoopDelay };
  cpuPercent: Resources["cpuPercent"];
  roundTripsPerEvent: { pg: number; redis: number };
  /** Milliseconds each event's processes ran and waited for a core, and times they were put on one. */
  schedulePerEvent: { run: number; wait: number; slices: number };
  machineBySecond: MachineSecond[];
}

/** Closed loop at full load, then the backlog left drained by the worker alone. */
async function fullLoadPhase({ stack, api, options, report }: Bench, app: BenchApp, perEvent: number) {
  await closedLoop(api, app, options.ingestClients, options.warmupSeconds);
  const sampler = sampleResources(stack);
  const roundTrips = await countRoundTrips(stack);
  const scheduledBefore = threadSchedule(measuredProcesses(stack));
  const from = new Date();
  const ingest = await closedLoop(api, app, options.ingestClients, options.seconds);
  const to = new Date();
  const scheduled = scheduleBetween(scheduledBefore, threadSchedule(measuredProcesses(stack)));
  const resources = sampler.stop();
  const trips = await roundTrips();
  const attempted = await attemptsBetween(stack.pool, app.id, from, to);
  const deliveriesPerSecond = attempted / ((to.getTime() - from.getTime()) / 1000);
  // What is left is the worker's backlog: how fast it drains is the worker alone.
  const backlog = await pendingFirstAttempts(stack.pool, app.id);
  const drainStart = performance.now();
  const drained = await waitForFirstAttempts(stack.pool, app.id, Math.max(60_000, options.seconds * 4000));
  const drainSeconds = (performance.now() - drainStart) / 1000;
  if (!drained) report.note(`scenario 2 (${perEvent}/event): backlog not drained within the limit`);
  const fullLoadLatency = await firstAttemptLatency(stack.pool, app.id, from, to);
  const result: FullLoad = {
    eventsPerSecond: ingest.perSecond,
    deliveriesPerSecond,
    drainPerSecond: backlog >= 200 && drained ? backlog / drainSeconds : undefined,
    fullLoadLatency,
    ingest,
    resources,
    roundTripsPerDelivery: { pg: trips.pgTransactions / attempted, redis: trips.redisCommands / attempted },
    slicesPerEvent: scheduled.slices / ingest.accepted,
  };
  return result;
}

/**
 * A quarter of the sustained rate, open loop: the latency Hookpost adds
 * when the machine is not saturated, which is what is targeted.
 */
async function quarterRatePhase({ stack, api, options }: Bench, app: BenchApp, sustained: number) {
  const rate = Math.max(1, Math.floor(sustained / 4));
  const from = new Date();
  await openLoop(api, app, rate, options.seconds);
  const to = new Date();
  await waitForFirstAttempts(stack.pool, app.id, 60_000);
  const quarter: QuarterRate = { rate, latency: await firstAttemptLatency(stack.pool, app.id, from, to) };
  return quarter;
}

/** Half of the sustained rate, open loop, reported without a target: on two cores the machine is then nearly full. */
async function halfRatePhase({ stack, api, options }: Bench, app: BenchApp, sustained: number): Promise<HalfRate> {
  const rate = Math.max(1, Math.floor(sustained / 2));
  const checkpoints = await latencyPhase(stack);
  const deferrals = await countDeferrals(stack);
  // Resets the event-loop delay histograms, so that the phase's are read after it.
  await stack.eventLoopDelay();
  const sampler = sampleResources(stack);
  const roundTrips = await countRoundTrips(stack);
  const scheduledBefore = threadSchedule(measuredProcesses(stack));
  const machine = sampleMachine();
  const from = new Date();
  const ingest = await openLoop(api, app, rate, options.seconds);
  const to = new Date();
  const machineBySecond = machine.stop();
  const scheduled = scheduleBetween(scheduledBefore, threadSchedule(measuredProcesses(stack)));
  const resources = sampler.stop();
  const trips = await roundTrips();
  const schedulePerEvent = {
    run: scheduled.run / ingest.accepted,
    wait: scheduled.wait / ingest.accepted,
    slices: scheduled.slices / ingest.accepted,
  };
  const roundTripsPerEvent = {
    pg: trips.pgTransactions / ingest.accepted,
    redis: trips.redisCommands / ingest.accepted,
  };
  const eventLoopDelayMs = await stack.eventLoopDelay();
  const checkpointsDuring = await checkpoints();
  await waitForFirstAttempts(stack.pool, app.id, 60_000);
  const deferred = await deferrals();
  const latency = await firstAttemptLatency(stack.pool, app.id, from, to);
  return {
    rate,
    ingest,
    latency,
    checkpoints: checkpointsDuring,
    deferred,
    eventsPerBatch: await eventsPerBatch(stack, app, from, to),
    eventLoopDelayMs,
    cpuPercent: resources.cpuPercent,
    roundTripsPerEvent,
    schedulePerEvent,
    machineBySecond,
  };
}

/** Each ingestion batch names its first-attempts job on its delivery rows. */
async function eventsPerBatch(stack: Stack, app: BenchApp, from: Date, to: Date): Promise<number> {
  const { rows } = await stack.pool.query<{ per_batch: number }>(
    `SELECT count(*)::float / greatest(count(DISTINCT next_attempt_job), 1) AS per_batch
     FROM deliveries WHERE app_id = $1 AND created_at >= $2 AND created_at < $3`,
    [app.id, from, to],
  );
  return Number(rows[0]!.per_batch);
}

/**
 * `ceilingRuns`: the ceiling's first run, when scenario 1 is measured too;
 * its second is made here. Returns the half rate and its p99, which
 * scenario 4 runs at and compares with.
 */
export async function scenarioE2e(bench: Bench, ceilingRuns: CeilingRun[] | undefined) {
  const { stack, api, report } = bench;
  console.log("\n[2] Hookpost end to end: POST /events -> worker -> receiver, every attempt recorded");
  const one = await healthyApp(api, "bench-e2e-1", 50, `${stack.receiverUrl}/ok/a`, 1);
  const five = await healthyApp(api, "bench-e2e-5", 50, `${stack.receiverUrl}/ok/b`, 5);
  await stack.startWorkers(1);
  const at1 = await fullLoadPhase(bench, one, 1);
  const ceiling = ceilingRuns ? reportCeiling(report, [...ceilingRuns, await measureCeiling(bench, 2)]) : undefined;
  const at5 = await fullLoadPhase(bench, five, 5);
  const quarter = await quarterRatePhase(bench, one, at1.deliveriesPerSecond);
  const half = await halfRatePhase(bench, one, at1.deliveriesPerSecond);
  report.results.e2e = { onePerEvent: at1, fivePerEvent: at5, quarter, half };
  reportThroughput(report, at1, at5, ceiling);
  reportLatency(report, at1, quarter, half);
  reportHalfRateCost(report, at1, half);
  reportFullLoadCost(report, at1, at5, half, ceiling);
  await quiesce(stack);
  return { halfRate: half.rate, halfP99: half.latency.p99 };
}

const S = "2 end to end";

function reportThroughput(report: Report, at1: FullLoad, at5: FullLoad, ceiling: Ceiling | undefined) {
  const { row } = report;
  const ratio = ceiling ? at1.deliveriesPerSecond / ceiling.perSecond : NaN;
  row(S, "1 endpoint/event: events/s ingested", fmt(at1.eventsPerSecond));
  row(S, "1 endpoint/event: deliveries/s", fmt(at1.deliveriesPerSecond));
  row(S, "1 endpoint/event: ratio to (1)", fmt(ratio, 2), ">= 0.70", ratio >= 0.7);
  if (at1.drainPerSecond && ceiling) {
    row(
      S,
      "worker alone (backlog drain) deliveries/s, ratio to (1)",
      `${fmt(at1.drainPerSecond)} (${fmt(at1.drainPerSecond / ceiling.perSecond, 2)})`,
    );
  }
  row(S, "5 endpoints/event: deliveries/s", fmt(at5.deliveriesPerSecond));
  if (ceiling) row(S, "5 endpoints/event: ratio to (1)", fmt(at5.deliveriesPerSecond / ceiling.perSecond, 2));
}

function reportLatency(report: Report, at1: FullLoad, quarter: QuarterRate, half: HalfRate) {
  const { row } = report;
  const percentiles = (latency: LatencySummary) => `${fmt(latency.p50)}/${fmt(latency.p95)}/${fmt(latency.p99)}`;
  row(S, "first attempt ms at full load p50/p95/p99", percentiles(at1.fullLoadLatency!));
  row(
    S,
    `first attempt ms at a quarter rate (${quarter.rate}/s) p50/p95/p99`,
    percentiles(quarter.latency),
    "p99 < 50",
    quarter.latency.p99 < 50,
  );
  row(S, `first attempt ms at half rate (${half.rate}/s) p50/p95/p99`, percentiles(half.latency));
  row(
    S,
    "worst second at half rate: p99, then machine % busy/iowait/steal",
    worstSecond(half.latency, half.machineBySecond),
  );
  row(S, "PostgreSQL checkpoints during the half-rate run", String(half.checkpoints));
  row(S, "attempts deferred by an endpoint's cap, half-rate run", String(half.deferred));
  row(S, "API p99 ms at full load", fmt(at1.ingest.latencyMs.p99));
  // Not in the first-attempt figure, which starts at the event's commit: what the API adds before it.
  row(S, "API p50/p99 ms at half rate", `${fmt(half.ingest.latencyMs.p50, 1)}/${fmt(half.ingest.latencyMs.p99, 1)}`);
  row(S, "events per ingestion batch at half rate", fmt(half.eventsPerBatch, 1));
}

function reportHalfRateCost(report: Report, at1: FullLoad, half: HalfRate) {
  const { row } = report;
  const cpu = half.cpuPercent;
  row(
    S,
    "CPU % at half rate (worker/web/postgres/redis/receiver/client)",
    `${cpu.worker}/${cpu.web}/${cpu.postgres}/${cpu.redis}/${cpu.receiver}/${cpu.benchClient}`,
  );
  row(
    S,
    "PostgreSQL transactions/Redis commands per event at half rate",
    `${fmt(half.roundTripsPerEvent.pg, 2)}/${fmt(half.roundTripsPerEvent.redis, 2)}`,
  );
  // A thread woken with work waits for a core before it runs: on a nearly
  // full machine that wait, spread over every hop, is the latency's tail.
  row(
    S,
    "ms per event at half rate, all processes: running / ready but waiting for a core",
    `${fmt(half.schedulePerEvent.run, 2)} / ${fmt(half.schedulePerEvent.wait, 2)}`,
  );
  // Each time a thread is put on a core is a wake-up (or a preemption): at
  // full load one wake-up finds several messages waiting, at half rate
  // nearly each message is one, and on these VMs a wake-up is dear.
  row(
    S,
    "times a thread was put on a core per event, all processes: full load / half rate",
    `${fmt(at1.slicesPerEvent, 2)} / ${fmt(half.schedulePerEvent.slices, 2)}`,
  );
  const { web, worker } = half.eventLoopDelayMs;
  row(
    S,
    "event-loop delay ms at half rate p99/max: web / worker",
    `${fmt(web.p99)}/${fmt(web.max)} / ${fmt(worker.p99)}/${fmt(worker.max)}`,
  );
}

function reportFullLoadCost(report: Report, at1: FullLoad, at5: FullLoad, half: HalfRate, ceiling?: Ceiling) {
  const { row } = report;
  const workerRss = Math.max(at1.resources.workerRssMb, at5.resources.workerRssMb);
  row(S, "worker RSS MB (peak)", String(workerRss), "< 250", workerRss < 250);
  row(S, "web RSS MB (peak)", String(Math.max(at1.resources.webRssMb, at5.resources.webRssMb)));
  const cpu = at1.resources.cpuPercent;
  row(
    S,
    "CPU % at full load (worker/web/postgres/redis/receiver/client)",
    `${cpu.worker}/${cpu.web}/${cpu.postgres}/${cpu.redis}/${cpu.receiver}/${cpu.benchClient}`,
  );
  // Steal and neighbours move throughput between runs far more than they
  // move the CPU each delivery costs: this ratio is the steadier one.
  const cpuMs = cpuMsPer(allProcesses(cpu), at1.deliveriesPerSecond);
  if (ceiling) {
    row(
      S,
      "CPU ms per delivery, all processes: ceiling / end to end (ratio)",
      `${fmt(ceiling.cpuMsPerDelivery, 2)} / ${fmt(cpuMs, 2)} (${fmt(ceiling.cpuMsPerDelivery / cpuMs, 2)})`,
    );
  }
  // An event at half rate costs more than at full load (smaller batches,
  // a wake-up for nearly every message); how much more decides how full the
  // machine is in the half-rate phase, whatever the throughput.
  const halfCpuMs = cpuMsPer(allProcesses(half.cpuPercent), half.ingest.perSecond);
  row(
    S,
    "CPU ms per event, all processes: full load / half rate (ratio)",
    `${fmt(cpuMs, 2)} / ${fmt(halfCpuMs, 2)} (${fmt(halfCpuMs / cpuMs, 2)}; machine ${fmt(allProcesses(half.cpuPercent) / cpus().length)}% busy at half rate)`,
  );
  const trips = at1.roundTripsPerDelivery;
  const ceilingTrips = ceiling
    ? `${fmt(ceiling.roundTripsPerDelivery.pg, 2)}/${fmt(ceiling.roundTripsPerDelivery.redis, 2)} / `
    : "";
  row(
    S,
    `PostgreSQL transactions/Redis commands per delivery: ${ceiling ? "ceiling / " : ""}end to end`,
    `${ceilingTrips}${fmt(trips.pg, 2)}/${fmt(trips.redis, 2)}`,
  );
}
