// Scenario 5, log queries at scale: the dashboard's own functions timed
// over a seeded log of --log-attempts attempts over 30 days (1,000,000 by
// default), then the retention's drop of the oldest day and five simulated
// days in and out with retention on (log-queries.ts).
import type { Bench } from "../context";
import { measureDayDrop, measureRetentionSoak, runLogQueries, seedPlan } from "../log-queries";
import { fmt } from "../report";

const mb = (bytes: number) => fmt(bytes / 1024 ** 2, 0);

export async function scenarioLogs({ stack, report, options }: Bench) {
  const seed = seedPlan(options.logAttempts);
  console.log(
    `\n[5] Log queries at scale: ${seed.attempts.toLocaleString("en")} attempts across 100 endpoints, 30 days`,
  );
  const logs = await runLogQueries(stack.pool, stack.databaseUrl, seed);
  report.results.logs = logs;
  report.note(`scenario 5: ${logs.source}`);
  const { row } = report;
  const s = "5 log queries";
  row(s, `seeded in s (hot endpoint: ${logs.seed.hotEndpointAttempts} attempts)`, fmt(logs.seed.seconds, 1));
  row(s, "attempts per hour added up (48 hours, once) ms", fmt(logs.rollUpMs, 0));
  for (const query of logs.queries)
    row(s, `${query.name} ms`, `${fmt(query.ms, 1)}${query.seqScanOnLog ? " SEQ SCAN" : ""}`);
  row(s, "dashboard log first page ms", fmt(logs.firstPageMs, 1), "< 50", logs.firstPageMs < 50);
  row(s, "slowest first page (any filter) ms", fmt(logs.worstFirstPageMs, 1), "< 50", logs.worstFirstPageMs < 50);
  row(s, "dashboard log deep/first (all)", fmt(logs.deepOverFirst, 2), "<= 2", logs.deepOverFirst <= 2);
  row(s, "deep/first (worst filter)", fmt(logs.worstDeepOverFirst, 2), "<= 2", logs.worstDeepOverFirst <= 2);
  row(s, "seq scan on the log (rows read whole)", logs.anySeqScanOnLog ? "yes" : "none", "none", !logs.anySeqScanOnLog);

  const drop = await measureDayDrop(stack.pool);
  report.results.logRetention = drop;
  const total = (sizes: typeof drop.before) => Object.values(sizes).reduce((sum, table) => sum + table.bytes, 0);
  const dead = (sizes: typeof drop.before) => Object.values(sizes).reduce((sum, table) => sum + table.deadRows, 0);
  row(
    s,
    `retention drop of the oldest day(s) (${drop.days.length} days, ${drop.attempts} attempts) ms`,
    fmt(drop.ms, 0),
    "< 1000",
    drop.ms < 1000,
  );
  row(s, "log size before / after the drop MB", `${mb(total(drop.before))} / ${mb(total(drop.after))}`);
  row(s, "attempts table before / after MB", `${mb(drop.before.attempts!.bytes)} / ${mb(drop.after.attempts!.bytes)}`);
  row(
    s,
    "dead rows before / after the drop",
    `${dead(drop.before)} / ${dead(drop.after)}`,
    "not more",
    dead(drop.after) <= dead(drop.before),
  );

  const soak = await measureRetentionSoak(stack.pool, seed, drop.retentionMs);
  report.results.retentionSoak = soak;
  row(
    s,
    `log size over ${soak.days.length} simulated days with retention on (a day in, a day out) MB`,
    soak.days.map((day) => mb(day.bytes)).join(", "),
  );
  row(s, "log size spread over those days", `${fmt(soak.spread * 100, 1)}%`, "< 5%", soak.spread < 0.05);
}
