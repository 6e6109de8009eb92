// `npm run bench`: measures Hookpost against the machine's own ceiling.
// Every figure that matters is a ratio to a baseline taken in the same run,
// because absolute numbers on a shared machine are noise. Each scenario is a
// module of scenarios/; docs/performance.md says what each one measures.
//
//   npm run bench                      all scenarios, 20 s each
//   npm run bench -- --scenario 2      one scenario (repeatable)
//   npm run bench -- --seconds 10 --concurrency 50 --soak-seconds 300 --cpu-prof
//   npm run bench -- --scenario 5 --log-attempts 10000000   the log at 10 million attempts
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem, release } from "node:os";
import { parseArgs } from "node:util";
import type { Bench, BenchOptions } from "./context";
import { Api } from "./load";
import { Report } from "./report";
import { measureCeiling, reportCeiling } from "./scenarios/ceiling";
import { scenarioCluster } from "./scenarios/cluster";
import { scenarioE2e } from "./scenarios/e2e";
import { scenarioFailures } from "./scenarios/failures";
import { scenarioIngest } from "./scenarios/ingest";
import { scenarioLogs } from "./scenarios/logs";
import { scenarioScaleOut } from "./scenarios/scale-out";
import { scenarioSoak } from "./scenarios/soak";
import { benchApiKey, startStack, type Stack, type StackOptions } from "./stack";

const { values: flags } = parseArgs({
  options: {
    seconds: { type: "string", default: "20" },
    scenario: { type: "string", multiple: true },
    concurrency: { type: "string", default: "50" },
    // As many producers as scenario 3 has clients and the worker has slots:
    // fewer back-to-back clients keep every ingestion batch small, and the
    // same saturated machine then delivers less.
    "ingest-clients": { type: "string", default: "50" },
    "soak-seconds": { type: "string", default: "0" },
    "log-attempts": { type: "string", default: "1000000" },
    "delivery-timeout": { type: "string", default: "2s" },
    "cpu-prof": { type: "boolean", default: false },
    // Extra V8/Node flags for the workers (repeatable), to try one against the defaults.
    "worker-node-flag": { type: "string", multiple: true },
    help: { type: "boolean", default: false },
  },
});
if (flags.help) {
  console.log(
    "npm run bench -- [--seconds 20] [--scenario N ...] [--concurrency 50] [--ingest-clients 50] [--soak-seconds 0] [--log-attempts 1000000] [--delivery-timeout 2s] [--cpu-prof] [--worker-node-flag F ...]",
  );
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const options: BenchOptions = {
  seconds: Number(flags.seconds),
  concurrency: Number(flags.concurrency),
  ingestClients: Number(flags["ingest-clients"]),
  soakSeconds: Number(flags["soak-seconds"]),
  logAttempts: Number(flags["log-attempts"]),
  warmupSeconds: 3,
  stamp,
};
const SCENARIOS = new Set((flags.scenario ?? ["1", "2", "3", "4", "5", "6", "7"]).map(Number));
const WORKER_EXTRA_FLAGS = flags["worker-node-flag"] ?? [];
const profileDir = flags["cpu-prof"] ? `bench-results/profiles-${stamp}` : undefined;
const stackOptions: StackOptions = {
  workerConcurrency: options.concurrency,
  deliveryTimeout: flags["delivery-timeout"],
  profileDir,
  workerNodeFlags: WORKER_EXTRA_FLAGS,
};

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

/** The PostgreSQL settings that move the figures, for the JSON file. */
async function postgresSettings(stack: Stack): Promise<Record<string, string>> {
  const { rows } = await stack.pool.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'shared_buffers', 'max_connections', 'wal_level')`,
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
}

/**
 * The scenarios asked for, in the order that lets each use the one before:
 * 2 measures the ceiling's second run, 4 runs at 2's half rate.
 */
async function runScenarios(bench: Bench) {
  let e2e: { halfRate: number; halfP99: number } | undefined;
  const ceilingRuns = SCENARIOS.has(1) ? [await measureCeiling(bench, 1)] : undefined;
  if (SCENARIOS.has(2)) e2e = await scenarioE2e(bench, ceilingRuns);
  else if (ceilingRuns) reportCeiling(bench.report, ceilingRuns);
  if (SCENARIOS.has(3)) await scenarioIngest(bench);
  if (SCENARIOS.has(4)) await scenarioFailures(bench, e2e?.halfRate ?? 100, e2e?.halfP99);
  if (SCENARIOS.has(6)) await scenarioScaleOut(bench);
  if (SCENARIOS.has(5)) await scenarioLogs(bench);
  if (SCENARIOS.has(7)) await scenarioCluster(bench, stackOptions);
  if (options.soakSeconds > 0) await scenarioSoak(bench);
}

/** Prints the table and writes it, with the machine and every scenario's results, to bench-results/. */
function writeResults(report: Report, startedAt: Date, machineInfo: Record<string, unknown>) {
  const table = report.printTable();
  report.printNotes();
  mkdirSync("bench-results", { recursive: true });
  const file = `bench-results/bench-${stamp}.json`;
  const run = {
    startedAt,
    finishedAt: new Date(),
    machine: machineInfo,
    options: {
      seconds: options.seconds,
      concurrency: options.concurrency,
      ingestClients: options.ingestClients,
      deliveryTimeout: flags["delivery-timeout"],
      scenarios: [...SCENARIOS],
      soakSeconds: options.soakSeconds,
      profileDir,
      workerNodeFlags: WORKER_EXTRA_FLAGS,
    },
    table: report.rows,
    tableText: table,
    notes: report.notes,
    results: report.results,
  };
  writeFileSync(file, JSON.stringify(run, null, 2));
  console.log(`\nWritten: ${file}${profileDir ? `\nWorker CPU profiles: ${profileDir}` : ""}`);
}

async function main() {
  const info = machine();
  console.log(
    `Machine: ${info.cpus} x ${info.cpuModel}, ${info.memoryGb} GB, node ${info.node}, load ${info.loadavgAtStart.join(" ")}`,
  );
  const stack = await startStack(stackOptions);
  const settings = await postgresSettings(stack);
  const api = new Api(stack.baseUrl, await benchApiKey(stack), 64);
  const report = new Report();
  const startedAt = new Date();
  try {
    await runScenarios({ stack, api, options, report });
  } finally {
    writeResults(report, startedAt, { ...info, postgresSettings: settings });
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
