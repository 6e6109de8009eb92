// Scenario 1, the raw ceiling: a hand-rolled pipeline (raw-pipeline.ts, a
// process of its own) doing only the irreducible work per delivery, against
// which scenario 2's throughput and CPU per delivery are read.
import { spawn } from "node:child_process";
import type { Bench, BenchOptions } from "../context";
import { newId } from "../../../lib/platform/ids";
import { countRoundTrips, cpuMsPer } from "../measures";
import { fmt, type Report } from "../report";
import { cpuSeconds, serviceCpuSeconds, sleep, type Stack } from "../stack";

/** The ceiling's deliveries/s, and the CPU all its processes spent per delivery. */
export interface Ceiling {
  perSecond: number;
  cpuMsPerDelivery: number;
  /** PostgreSQL transactions and Redis commands per delivery. */
  roundTripsPerDelivery: { pg: number; redis: number };
}

export interface CeilingRun extends Ceiling {
  deliveries: number;
  seconds: number;
  failures: number;
  rssMb: number;
  cpuPercent: { pipeline: number; postgres: number; redis: number; receiver: number };
}

/** What raw-pipeline.ts prints as its last line. */
interface PipelineResult {
  perSecond: number;
  deliveries: number;
  rssMb: number;
  failures: number;
  seconds: number;
  cpuSeconds: number;
}

/**
 * The event and delivery every raw attempt refers to: ids made as the app
 * makes them, since each row belongs to the day partition of its id's time.
 */
const RAW = { eventId: newId("event"), deliveryId: newId("delivery") };

/** The rows every raw attempt refers to, so that its insert meets the same constraints as the worker's. */
async function seedRawRows(stack: Stack) {
  await stack.pool.query(`
    INSERT INTO apps (id, name, uid) VALUES ('app_benchraw', 'raw', 'bench-raw') ON CONFLICT DO NOTHING;
    INSERT INTO endpoints (id, app_id, url, event_types, secret, updated_at)
      VALUES ('ep_benchraw', 'app_benchraw', 'http://127.0.0.1/raw', '{}', 'unused', now()) ON CONFLICT DO NOTHING;
    INSERT INTO events (id, app_id, event_type, payload) VALUES ('${RAW.eventId}', 'app_benchraw', 'raw', '{}')
      ON CONFLICT DO NOTHING;
    INSERT INTO deliveries (id, app_id, event_id, endpoint_id, status)
      VALUES ('${RAW.deliveryId}', 'app_benchraw', '${RAW.eventId}', 'ep_benchraw', 'succeeded') ON CONFLICT DO NOTHING;`);
}

/** Starts the pipeline; the promise returned settles with its result when it exits. */
function startRawPipeline(stack: Stack, options: BenchOptions, run: number): Promise<PipelineResult> {
  const config = {
    databaseUrl: stack.databaseUrl,
    redisUrl: stack.workerEnv.REDIS_URL,
    prefix: `${stack.queuePrefix}_raw${run}`,
    url: `${stack.receiverUrl}/ok/raw`,
    deliveryId: RAW.deliveryId,
    endpointId: "ep_benchraw",
    concurrency: options.concurrency,
    seconds: options.seconds,
    warmupSeconds: options.warmupSeconds,
  };
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/bench/raw-pipeline.ts"], {
    env: { ...process.env, BENCH_RAW: JSON.stringify(config) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise<PipelineResult>((resolve, reject) =>
    child.once("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(output.trim().split("\n").at(-1)!) as PipelineResult)
        : reject(new Error(`raw pipeline exited ${code}`)),
    ),
  );
}

/** One run of the hand-rolled pipeline; `run` numbers its queue. */
export async function measureCeiling({ stack, options }: Bench, run: number): Promise<CeilingRun> {
  console.log(`\n[1] Raw ceiling, run ${run}: BullMQ job + HMAC + undici POST + pg insert, hand-rolled`);
  await seedRawRows(stack);
  const exited = startRawPipeline(stack, options, run);
  // Awaited once the warm-up is over; a failure before then is not unhandled.
  void exited.catch(() => undefined);
  await sleep(options.warmupSeconds * 1000);
  const roundTrips = await countRoundTrips(stack);
  const pgAtStart = serviceCpuSeconds("postgres");
  const redisAtStart = serviceCpuSeconds("redis-server");
  const receiverAtStart = cpuSeconds(stack.receiver.process.pid);
  const result = await exited;
  const trips = await roundTrips();
  const share = (used: number) => Math.round((used / options.seconds) * 100);
  const cpuPercent = {
    pipeline: Math.round((result.cpuSeconds / result.seconds) * 100),
    postgres: share(serviceCpuSeconds("postgres") - pgAtStart),
    redis: share(serviceCpuSeconds("redis-server") - redisAtStart),
    receiver: share(cpuSeconds(stack.receiver.process.pid) - receiverAtStart),
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
 * The ceiling as the mean of its runs. With scenario 2 it is measured
 * before and after Hookpost's own run at 1 endpoint per event, so that a
 * machine that speeds up or slows down in between (a shared machine's
 * speed can double or halve within the hour) moves both sides of the
 * ratio alike.
 */
export function reportCeiling(report: Report, runs: CeilingRun[]): Ceiling {
  const mean = (of: (run: CeilingRun) => number) => runs.reduce((sum, run) => sum + of(run), 0) / runs.length;
  const ceiling: Ceiling = {
    perSecond: mean((run) => run.perSecond),
    cpuMsPerDelivery: mean((run) => run.cpuMsPerDelivery),
    roundTripsPerDelivery: {
      pg: mean((run) => run.roundTripsPerDelivery.pg),
      redis: mean((run) => run.roundTripsPerDelivery.redis),
    },
  };
  report.results.raw = { ...ceiling, runs };
  const s = "1 raw ceiling";
  const { row } = report;
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
