// What the benchmark runs against: a fresh database, a private queue prefix
// on the local Redis, the receiver, the built web app and worker processes,
// all as children of the benchmark so that their RSS and CPU can be read.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { createApiKey } from "../../lib/auth/api-keys";
import { connectRedis, isCluster, type RedisClient } from "../../lib/queue/redis";
import { buildIfNeeded } from "../build-if-needed";
import { NODE_FLAGS, PROCESS_BUNDLES, WORKER_NODE_FLAGS } from "../bundle";
import { dropDatabase, ensureDatabase, migrate } from "../services";

export const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface Child {
  name: string;
  process: ChildProcess;
  logs: { lines: number; jobsFailed: number; tail: string[] };
  exited: Promise<void>;
}

export function spawnChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const logs = { lines: 0, jobsFailed: 0, tail: [] as string[] };
  let partial = "";
  const collect = (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const lines = text.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      logs.lines++;
      // Not kept: against a failing endpoint the worker logs one line per attempt.
      if (!line.includes('"attempt recorded"')) {
        if (line.includes('"job failed"')) logs.jobsFailed++;
        logs.tail.push(line);
        if (logs.tail.length > 200) logs.tail.shift();
      }
      if (process.env.BENCH_VERBOSE) process.stderr.write(`[${name}] ${line}\n`);
    }
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return { name, process: child, logs, exited };
}

export async function stopChild(child: Child | undefined, timeoutMs = 30_000): Promise<void> {
  if (!child || child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill("SIGTERM");
  const timer = setTimeout(() => child.process.kill("SIGKILL"), timeoutMs);
  await child.exited;
  clearTimeout(timer);
}

/** Thrown from a waitUntil check: stop waiting at once. */
export class GaveUp extends Error {}

export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof GaveUp) throw error;
      lastError = error;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ""}`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** The pid and every descendant (Next.js may run its server in a child). */
function processTree(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = parents.get(ppid) ?? [];
      list.push(Number(entry));
      parents.set(ppid, list);
    } catch {
      // The process ended while we listed /proc: it no longer counts.
    }
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(parents.get(pid) ?? []));
  }
  return out;
}

/** Resident memory of a process and its descendants, in MB (VmRSS). */
export function rssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  let kb = 0;
  for (const p of processTree(pid)) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"));
      kb += Number(match?.[1] ?? 0);
    } catch {
      // Gone: nothing resident.
    }
  }
  return Math.round(kb / 1024);
}

/** CPU seconds (user + system) used so far by a process and its descendants. */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone.
    }
  }
  return ticks / 100;
}

/** Every process of a local service by its command name ("postgres", "redis-server"). */
function serviceProcesses(command: "postgres" | "redis-server"): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/stat`, "utf8").includes(`(${command})`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * CPU seconds of every process of a local service, by its command name
 * ("postgres": all sessions, the checkpointer...; "redis-server"),
 * including processes that have ended: their parent's reaped-children time
 * (cutime, cstime) holds theirs, so a closing pool does not make the figure
 * fall.
 */
export function serviceCpuSeconds(command: "postgres" | "redis-server"): number {
  let ticks = 0;
  for (const pid of serviceProcesses(command)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // Gone.
    }
  }
  return ticks / 100;
}

/**
 * Per thread ("pid/tid"): how long it ran and how long it was ready to run
 * but waited for a core (ms), and how many times it was put on a core.
 */
export type ThreadSchedule = Map<string, ScheduleTotals>;

export interface ScheduleTotals {
  run: number;
  wait: number;
  /** Times put on a core: each wake-up is one, and so is each preemption. */
  slices: number;
}

/** The kernel's per-thread schedstat of these processes, now. */
export function threadSchedule(pids: number[]): ThreadSchedule {
  const threads: ThreadSchedule = new Map();
  for (const pid of pids) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // Gone.
    }
    for (const tid of tids) {
      try {
        const [ran, waited, slices] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ").map(Number);
        threads.set(`${pid}/${tid}`, { run: (ran ?? 0) / 1e6, wait: (waited ?? 0) / 1e6, slices: slices ?? 0 });
      } catch {
        // Gone.
      }
    }
  }
  return threads;
}

/**
 * What the threads ran and waited between two readings (ms). Waiting is
 * where a busy machine's latency comes from: a thread woken with work to
 * do that is not yet running. A thread started in between counts whole
 * (a pool's new PostgreSQL session); one that ended in between is missed.
 */
export function scheduleBetween(before: ThreadSchedule, after: ThreadSchedule): ScheduleTotals {
  const total = { run: 0, wait: 0, slices: 0 };
  for (const [thread, now] of after) {
    const then = before.get(thread) ?? { run: 0, wait: 0, slices: 0 };
    total.run += now.run - then.run;
    total.wait += now.wait - then.wait;
    total.slices += now.slices - then.slices;
  }
  return total;
}

/** The whole machine's CPU time by kind, in clock ticks, from the first line of /proc/stat. */
function machineTicks(): { busy: number; iowait: number; steal: number; total: number } {
  // user nice system idle iowait irq softirq steal (guest time is counted in user already)
  const cpuLine = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = cpuLine
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busy = user + nice + system + irq + softirq;
  return { busy, iowait, steal, total: busy + idle + iowait + steal };
}

/** One second of the machine: percent of all its cores' time busy, waiting for the disk, and taken by the host. */
export interface MachineSecond {
  busy: number;
  iowait: number;
  steal: number;
}

/**
 * The machine second by second from now, so that a latency phase's bad
 * second can be set against what the machine did in it: busy with our
 * processes, waiting for the disk (iowait), or not given the CPU at all
 * (steal: the host ran something else on our vCPU).
 */
export function sampleMachine(): { stop(): MachineSecond[] } {
  const seconds: MachineSecond[] = [];
  let last = machineTicks();
  const take = () => {
    const now = machineTicks();
    const total = now.total - last.total || 1;
    const share = (kind: "busy" | "iowait" | "steal") => Math.round(((now[kind] - last[kind]) / total) * 100);
    seconds.push({ busy: share("busy"), iowait: share("iowait"), steal: share("steal") });
    last = now;
  };
  const timer = setInterval(take, 1000);
  return {
    stop() {
      clearInterval(timer);
      return seconds;
    },
  };
}

/** The processes a run measures, each once: Hookpost's, the receiver, PostgreSQL, Redis and the benchmark itself. */
export function measuredProcesses(stack: Stack): number[] {
  const nodeProcesses = [stack.web, stack.receiver, ...stack.workers].flatMap((child) =>
    child.process.pid === undefined ? [] : processTree(child.process.pid),
  );
  return [
    ...new Set([process.pid, ...nodeProcesses, ...serviceProcesses("postgres"), ...serviceProcesses("redis-server")]),
  ];
}

export interface Stack {
  databaseUrl: string;
  queuePrefix: string;
  pool: pg.Pool;
  redis: RedisClient;
  /** QUEUE_SHARDS of its processes. */
  queueShards: number;
  receiverUrl: string;
  receiver: Child;
  web: Child;
  baseUrl: string;
  workerEnv: NodeJS.ProcessEnv;
  workers: Child[];
  startWorkers(count: number, extraArgs?: string[]): Promise<Child[]>;
  stopWorkers(): Promise<void>;
  /** A counter of the running workers' /metrics, summed over workers and labels. */
  workerCounter(name: string): Promise<number>;
  /** The counter's value in each of `workers` (summed over its labels). */
  workerCounters(name: string, workers: Child[]): Promise<number[]>;
  /**
   * How late the web's and the first worker's event loops ran since the
   * previous call (prom-client resets its delay histogram on each scrape).
   */
  eventLoopDelay(): Promise<{ web: EventLoopDelay; worker: EventLoopDelay }>;
  receiverStats(): Promise<{ total: number; ok: number; failed: number; hung: number; duplicates: number }>;
  resetReceiver(): Promise<void>;
  close(): Promise<void>;
}

/** Milliseconds, from prom-client's nodejs_eventloop_lag_* gauges. */
export interface EventLoopDelay {
  p99: number;
  max: number;
}

/** A /metrics page's samples, each name summed over its labels. */
async function scrapeMetrics(url: string, token: string): Promise<Map<string, number>> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const name = line.slice(0, line.search(/[{ ]/));
    samples.set(name, (samples.get(name) ?? 0) + Number(line.split(" ").at(-1)));
  }
  return samples;
}

const eventLoopDelayOf = (samples: Map<string, number>): EventLoopDelay => ({
  p99: (samples.get("nodejs_eventloop_lag_p99_seconds") ?? NaN) * 1000,
  max: (samples.get("nodejs_eventloop_lag_max_seconds") ?? NaN) * 1000,
});

export interface StackOptions {
  workerConcurrency: number;
  deliveryTimeout: string;
  profileDir?: string;
  /** Added to every worker's command line, before the defaults. */
  workerNodeFlags?: string[];
  /** A Redis or a cluster (`redis+cluster://...`); the local Redis by default. */
  redisUrl?: string;
  queueShards?: number;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const url = new URL(POSTGRES_URL);
  url.pathname = `/hookpost_bench_${suffix}`;
  const databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  try {
    await migrate(databaseUrl, { quiet: true });
    // Measures the code as it is: rebuilds what changed.
    await buildIfNeeded();
  } catch (error) {
    // Nothing else holds the database yet: a failed migration or build leaves nothing behind.
    await dropDatabase(databaseUrl);
    throw error;
  }
  const queuePrefix = `hookpost_bench_${suffix}`;
  const redisUrl = options.redisUrl ?? REDIS_URL;
  const queueShards = options.queueShards ?? 1;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const redis = connectRedis(redisUrl, { maxRetriesPerRequest: 1, retryStrategy: () => 200 });
  redis.on("error", (error: Error) => console.error(`bench's Redis connection: ${error.message}`));

  const receiver = spawnChild(
    "receiver",
    process.execPath,
    ["--import", "tsx", "scripts/bench/receiver.ts"],
    process.env,
  );
  const receiverPort = await waitUntil("the receiver", () => {
    const line = receiver.logs.tail.find((entry) => entry.startsWith("listening "));
    return line ? Number(line.split(" ")[1]) : undefined;
  });
  const receiverUrl = `http://127.0.0.1:${receiverPort}`;

  const port = await freePort();
  const metricsToken = randomBytes(16).toString("hex");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    QUEUE_SHARDS: String(queueShards),
    PORT: String(port),
    ALLOW_PRIVATE_ENDPOINTS: "true",
    LOG_LEVEL: "info",
    WORKER_CONCURRENCY: String(options.workerConcurrency),
    WORKER_METRICS_PORT: "0",
    DELIVERY_TIMEOUT: options.deliveryTimeout,
    // Set for builds that seal endpoint secrets at rest; ignored by those that do not.
    SECRETS_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString("base64")}`,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    METRICS_TOKEN: metricsToken,
  };
  // Run through node itself, so that --cpu-prof applies to the server (NODE_OPTIONS refuses it).
  const webProfile = options.profileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.profileDir}/web`] : [];
  const web = spawnChild(
    "web",
    process.execPath,
    [...webProfile, ...NODE_FLAGS, PROCESS_BUNDLES.web, "--port", String(port), "--hostname", "127.0.0.1"],
    env,
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntil("the web app", async () => {
    if (web.process.exitCode !== null) throw new GaveUp(`web exited:\n${web.logs.tail.join("\n")}`);
    const response = await fetch(`${baseUrl}/api/health`);
    return response.status === 200 ? true : undefined;
  });

  const metricsPorts = new Map<Child, number>();
  const stack: Stack = {
    databaseUrl,
    queuePrefix,
    pool,
    redis,
    queueShards,
    receiverUrl,
    receiver,
    web,
    baseUrl,
    workerEnv: env,
    workers: [],
    async startWorkers(count, extraArgs = []) {
      const profile = options.profileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.profileDir}`] : [];
      const started = Array.from({ length: count }, (_, index) =>
        spawnChild(
          `worker${stack.workers.length + index + 1}`,
          process.execPath,
          [...profile, ...(options.workerNodeFlags ?? []), ...extraArgs, ...WORKER_NODE_FLAGS, PROCESS_BUNDLES.worker],
          env,
        ),
      );
      stack.workers.push(...started);
      await Promise.all(
        started.map(async (worker) => {
          await waitUntil(`${worker.name} to start`, () => {
            if (worker.process.exitCode !== null) throw new GaveUp(`worker exited:\n${worker.logs.tail.join("\n")}`);
            return worker.logs.tail.some((line) => line.includes('"worker started"')) ? true : undefined;
          });
          // WORKER_METRICS_PORT is 0: each worker logs the port it was given.
          const listening = worker.logs.tail.find((line) => line.includes('"worker metrics and health listening"'));
          if (listening) metricsPorts.set(worker, (JSON.parse(listening) as { port: number }).port);
        }),
      );
      return started;
    },
    async stopWorkers() {
      await Promise.all(stack.workers.map((worker) => stopChild(worker)));
      stack.workers = [];
    },
    async workerCounter(name) {
      const values = await stack.workerCounters(name, stack.workers);
      return values.reduce((sum, value) => sum + value, 0);
    },
    async workerCounters(name, workers) {
      return Promise.all(
        workers.map(async (worker) => {
          const port = metricsPorts.get(worker);
          if (port === undefined) return 0;
          return (await scrapeMetrics(`http://127.0.0.1:${port}/metrics`, metricsToken)).get(name) ?? 0;
        }),
      );
    },
    async eventLoopDelay() {
      const workerPort = stack.workers[0] && metricsPorts.get(stack.workers[0]);
      const [web, worker] = await Promise.all([
        scrapeMetrics(`${baseUrl}/api/metrics`, metricsToken),
        workerPort === undefined
          ? new Map<string, number>()
          : scrapeMetrics(`http://127.0.0.1:${workerPort}/metrics`, metricsToken),
      ]);
      return { web: eventLoopDelayOf(web), worker: eventLoopDelayOf(worker) };
    },
    async receiverStats() {
      const response = await fetch(`${receiverUrl}/__stats`);
      return (await response.json()) as Awaited<ReturnType<Stack["receiverStats"]>>;
    },
    async resetReceiver() {
      await fetch(`${receiverUrl}/__reset`);
    },
    async close() {
      await stack.stopWorkers();
      await stopChild(web);
      await stopChild(receiver);
      await pool.end();
      await deleteKeys(redis, `${queuePrefix}*`);
      redis.disconnect();
      await dropDatabase(databaseUrl);
    },
  };
  return stack;
}

/** The nodes that hold keys: the Redis itself, or every primary of a cluster. */
export function redisPrimaries(redis: RedisClient) {
  return isCluster(redis) ? redis.nodes("master") : [redis];
}

export async function deleteKeys(redis: RedisClient, pattern: string): Promise<void> {
  for (const node of redisPrimaries(redis)) {
    let cursor = "0";
    do {
      const [next, keys] = await node.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      cursor = next;
      if (keys.length === 0) continue;
      // On a cluster one DEL may only name keys of one slot: a key at a time.
      if (isCluster(redis)) for (const key of keys) await node.del(key);
      else await node.del(...keys);
    } while (cursor !== "0");
  }
}

/** An API key of the stack's database, for the load client. */
export async function benchApiKey(stack: Stack): Promise<string> {
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: stack.databaseUrl }) });
  const { key } = await createApiKey(db, "bench");
  await db.$disconnect();
  return key;
}
