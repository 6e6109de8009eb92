// Scenario 5, log queries at scale: the dashboard's own functions timed
// over a seeded log of 1,000,000 attempts (log-queries.ts).
import type { Bench } from "../context";
import { runLogQueries } from "../log-queries";
import { fmt } from "../report";

export async function scenarioLogs({ stack, report }: Bench) {
  console.log("\n[5] Log queries at scale: 1,000,000 attempts across 100 endpoints");
  const logs = await runLogQueries(stack.pool, stack.databaseUrl);
  report.results.logs = logs;
  report.note(`scenario 5: ${logs.source}`);
  const { row } = report;
  const s = "5 log queries";
  row(s, `seeded in s (hot endpoint: ${logs.seed.hotEndpointAttempts} attempts)`, fmt(logs.seed.seconds, 1));
  for (const query of logs.queries)
    row(s, `${query.name} ms`, `${fmt(query.ms, 1)}${query.seqScanOnLog ? " SEQ SCAN" : ""}`);
  row(s, "dashboard log first page ms", fmt(logs.firstPageMs, 1), "< 50", logs.firstPageMs < 50);
  row(s, "slowest first page (any filter) ms", fmt(logs.worstFirstPageMs, 1), "< 50", logs.worstFirstPageMs < 50);
  row(s, "dashboard log deep/first (all)", fmt(logs.deepOverFirst, 2), "<= 2", logs.deepOverFirst <= 2);
  row(s, "deep/first (worst filter)", fmt(logs.worstDeepOverFirst, 2), "<= 2", logs.worstDeepOverFirst <= 2);
  row(s, "seq scan on the log (rows read whole)", logs.anySeqScanOnLog ? "yes" : "none", "none", !logs.anySeqScanOnLog);
}
