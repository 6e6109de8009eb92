// What the scenarios measure around a phase: each process's CPU and RSS,
// round trips to PostgreSQL and Redis, checkpoints, deferrals, and the
// arithmetic that turns them into per-delivery figures.
import { DeliveryProducer } from "../../lib/queue/producer";
import type { LatencySummary } from "./load";
import { fmt } from "./report";
import { cpuSeconds, redisPrimaries, rssMb, serviceCpuSeconds, type MachineSecond, type Stack } from "./stack";

export interface Resources {
  workerRssMb: number;
  webRssMb: number;
  /** Percent of one core over the phase (200 is both cores). */
  cpuPercent: {
    worker: number;
    web: number;
    receiver: number;
    postgres: number;
    redis: number;
    benchClient: number;
  };
}

const workersCpu = (stack: Stack) => stack.workers.reduce((sum, worker) => sum + cpuSeconds(worker.process.pid), 0);

/** Starts taking each process's CPU, and the max RSS of the web app and the workers every second; `stop` reads them. */
export function sampleResources(stack: Stack): { stop(): Resources } {
  const start = {
    worker: workersCpu(stack),
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
          worker: share(workersCpu(stack) - start.worker),
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

/** CPU percent of every process of a run together (of one core: 200 is both cores). */
export function allProcesses(cpu: Resources["cpuPercent"]): number {
  return cpu.worker + cpu.web + cpu.postgres + cpu.redis + cpu.receiver + cpu.benchClient;
}

/** Milliseconds of CPU per item, from CPU percents (of one core) summed over processes, at `perSecond` items. */
export function cpuMsPer(percent: number, perSecond: number): number {
  return (percent / 100 / perSecond) * 1000;
}

/**
 * A latency phase's worst second, and what the machine did in it: the
 * figures that tell a stall of our own from the machine's.
 */
export function worstSecond(latency: LatencySummary, machine: MachineSecond[]): string {
  const p99s = latency.p99BySecond;
  const worst = p99s.reduce((at, p99, second) => (p99 > (p99s[at] ?? -1) ? second : at), 0);
  const inIt = machine[worst];
  const most = (kind: keyof MachineSecond) => Math.max(0, ...machine.map((second) => second[kind]));
  return (
    `s${worst} ${fmt(p99s[worst] ?? NaN)} ms: ${inIt ? `${inIt.busy}/${inIt.iowait}/${inIt.steal}` : "n/a"}` +
    ` (phase max ${most("iowait")}/${most("steal")})`
  );
}

export interface RoundTrips {
  pgTransactions: number;
  redisCommands: number;
}

/**
 * Starts counting the statements PostgreSQL committed in the bench database
 * and the commands Redis ran; the returned function reads both. Round trips
 * cost a system call and a wake-up on each side, so their count per
 * delivery explains much of the CPU each delivery costs.
 */
export async function countRoundTrips(stack: Stack): Promise<() => Promise<RoundTrips>> {
  const read = async () => {
    const { rows } = await stack.pool.query<{ n: string }>(
      "SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()",
    );
    let commands = 0;
    for (const node of redisPrimaries(stack.redis)) {
      const info = await node.info("stats");
      commands += Number(/total_commands_processed:(\d+)/.exec(info)?.[1]);
    }
    return { pg: Number(rows[0]!.n), redis: commands };
  };
  const before = await read();
  return async () => {
    // A busy backend publishes its counts about once a second, at both ends alike.
    const after = await read();
    // Less this function's own statements.
    const own = redisPrimaries(stack.redis).length * 2;
    return { pgTransactions: after.pg - before.pg - 2, redisCommands: after.redis - before.redis - own };
  };
}

/**
 * Starts a latency phase from a clean checkpoint, so that it does not pay
 * for the flush of what earlier phases wrote; the function returned tells
 * how many checkpoints ran during the phase all the same (its own writes).
 */
export async function latencyPhase(stack: Stack): Promise<() => Promise<number>> {
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
export async function countDeferrals(stack: Stack): Promise<() => Promise<number>> {
  const before = await stack.workerCounter("hookpost_attempts_deferred_total");
  return async () => (await stack.workerCounter("hookpost_attempts_deferred_total")) - before;
}

/** Stops the workers and leaves nothing due: pending deliveries are closed and the queue emptied. */
export async function quiesce(stack: Stack) {
  await stack.stopWorkers();
  await stack.pool.query(`UPDATE deliveries SET status = 'failed', next_attempt_at = NULL WHERE status = 'pending'`);
  const producer = new DeliveryProducer(stack.redis, stack.queuePrefix, stack.queueShards);
  for (const queue of producer.queues) await queue.obliterate({ force: true });
  await producer.close();
}
