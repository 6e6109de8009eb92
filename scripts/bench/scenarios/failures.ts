// Scenario 4, failure-heavy: half of an app's endpoints answer 500 or hang
// until the delivery timeout, at scenario 2's half rate; how much the
// healthy half's first attempts suffer for it.
import type { Bench } from "../context";
import {
  closedLoop,
  createBenchApp,
  firstAttemptLatency,
  openLoop,
  waitForFirstAttempts,
  type BenchApp,
} from "../load";
import {
  allProcesses,
  countDeferrals,
  countRoundTrips,
  latencyPhase,
  quiesce,
  sampleResources,
  worstSecond,
} from "../measures";
import { fmt } from "../report";
import { sampleMachine, type Stack } from "../stack";

/** Ten endpoints, one event type each, at the receiver paths of `kinds` (ok, fail, hang). */
function tenEndpointApp(bench: Bench, uid: string, kinds: string[], pathPrefix: string): Promise<BenchApp> {
  return createBenchApp(
    bench.api,
    uid,
    kinds.map((kind, k) => ({
      url: `${bench.stack.receiverUrl}/${kind}/${pathPrefix}${k}`,
      eventTypes: [`${uid}.t${k}`],
    })),
    Array.from({ length: 10 }, (_, k) => `${uid}.t${k}`),
  );
}

/**
 * One open-loop phase against `app`, with everything around it measured;
 * its latency is that of `endpointIds`' first attempts (all, when not given).
 */
async function measuredPhase({ stack, api, options }: Bench, app: BenchApp, rate: number, endpointIds?: string[]) {
  const checkpoints = await latencyPhase(stack);
  const deferrals = await countDeferrals(stack);
  const sampler = sampleResources(stack);
  const roundTrips = await countRoundTrips(stack);
  const machine = sampleMachine();
  const from = new Date();
  await openLoop(api, app, rate, options.seconds);
  const to = new Date();
  const machineBySecond = machine.stop();
  const resources = sampler.stop();
  const trips = await roundTrips();
  // A hanging endpoint's first attempts are capped on purpose: only the others' are waited for.
  await waitForFirstAttempts(stack.pool, app.id, 60_000, endpointIds);
  const latency = await firstAttemptLatency(stack.pool, app.id, from, to, endpointIds);
  return { latency, resources, trips, machineBySecond, checkpoints: await checkpoints(), deferred: await deferrals() };
}

/** The failing app's attempts, by answer or error. */
async function outcomes(stack: Stack, app: BenchApp) {
  const { rows } = await stack.pool.query<{ kind: string; attempts: string }>(
    `SELECT CASE WHEN a.response_status_code = 500 THEN '500' WHEN a.error IS NOT NULL THEN a.error ELSE a.response_status_code::text END AS kind,
            count(*) AS attempts
     FROM attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.app_id = $1 GROUP BY 1`,
    [app.id],
  );
  return rows;
}

/** `e2eHalfP99`: scenario 2's half-rate p99, when it ran, which the healthy half is compared with. */
export async function scenarioFailures(bench: Bench, rate: number, e2eHalfP99: number | undefined) {
  const { stack, api, options, report } = bench;
  console.log(`\n[4] Failure-heavy: half the endpoints answer 500 or hang, ${rate} events/s open loop`);
  const healthy = await tenEndpointApp(bench, "bench-fail-base", Array<string>(10).fill("ok"), "h");
  const kinds = ["ok", "ok", "ok", "ok", "ok", "fail", "fail", "fail", "hang", "hang"];
  const mixed = await tenEndpointApp(bench, "bench-fail-mixed", kinds, "f");
  const healthyIds = mixed.endpointIds.slice(0, 5);
  await stack.startWorkers(1);
  await closedLoop(api, healthy, 5, options.warmupSeconds);
  const baseline = await measuredPhase(bench, healthy, rate);
  const withFailures = await measuredPhase(bench, mixed, rate, healthyIds);
  const byOutcome = await outcomes(stack, mixed);
  report.results.failures = {
    rate,
    baseline: baseline.latency,
    isolated: withFailures.latency,
    outcomes: byOutcome,
    resources: withFailures.resources,
    baselineResources: baseline.resources,
    roundTrips: { baseline: baseline.trips, mixed: withFailures.trips },
    checkpoints: { baseline: baseline.checkpoints, mixed: withFailures.checkpoints },
    deferred: { baseline: baseline.deferred, mixed: withFailures.deferred },
    machineBySecond: { baseline: baseline.machineBySecond, mixed: withFailures.machineBySecond },
    comparedWith: e2eHalfP99 ? "scenario 2 half rate" : "own baseline",
  };
  reportFailures(bench, rate, e2eHalfP99, baseline, withFailures, byOutcome);
  await quiesce(stack);
}

type Phase = Awaited<ReturnType<typeof measuredPhase>>;

function reportFailures(
  { options, report }: Bench,
  rate: number,
  e2eHalfP99: number | undefined,
  baseline: Phase,
  mixed: Phase,
  byOutcome: Array<{ kind: string; attempts: string }>,
) {
  const { row } = report;
  const s = "4 failure-heavy";
  const isolated = mixed.latency;
  const ratio = isolated.p99 / (e2eHalfP99 ?? baseline.latency.p99);
  row(s, "healthy-only baseline first attempt p50/p99 ms", `${fmt(baseline.latency.p50)}/${fmt(baseline.latency.p99)}`);
  row(s, "with failing/hanging half: healthy p50/p99 ms", `${fmt(isolated.p50)}/${fmt(isolated.p99)}`);
  row(s, "attempts by outcome (failing app)", byOutcome.map((o) => `${o.kind}:${o.attempts}`).join(" "));
  const reference = e2eHalfP99 ? "scenario 2 half-rate" : "baseline";
  row(s, `healthy p99 / ${reference} p99`, fmt(ratio, 2), "<= 1.5", ratio <= 1.5);
  row(s, "healthy p99 / same-rate healthy baseline p99", fmt(isolated.p99 / baseline.latency.p99, 2));
  row(
    s,
    "baseline's worst second: p99, then machine % busy/iowait/steal",
    worstSecond(baseline.latency, baseline.machineBySecond),
  );
  row(s, "mixed phase's worst second (healthy p99), machine as above", worstSecond(isolated, mixed.machineBySecond));
  row(s, "PostgreSQL checkpoints during baseline / mixed", `${baseline.checkpoints} / ${mixed.checkpoints}`);
  row(s, "attempts deferred by an endpoint's cap, baseline / mixed", `${baseline.deferred} / ${mixed.deferred}`);
  // What the failing half costs: the same event rate, with and without it.
  const events = rate * options.seconds;
  row(
    s,
    "CPU % all processes, baseline / mixed",
    `${allProcesses(baseline.resources.cpuPercent)} / ${allProcesses(mixed.resources.cpuPercent)}`,
  );
  const perEvent = (trips: Phase["trips"]) =>
    `${fmt(trips.pgTransactions / events, 2)}/${fmt(trips.redisCommands / events, 2)}`;
  row(
    s,
    "PostgreSQL transactions/Redis commands per event, baseline / mixed",
    `${perEvent(baseline.trips)} / ${perEvent(mixed.trips)}`,
  );
}
