// Scenario 3, ingestion alone: POST /events with no worker running, against
// a raw pg loop inserting the same rows.
import { newId } from "../../../lib/platform/ids";
import type { Bench } from "../context";
import { closedLoop, healthyApp, type BenchApp } from "../load";
import { quiesce, sampleResources } from "../measures";
import { fmt } from "../report";

/**
 * The same rows as an ingested event (the event with a 1 KiB payload and
 * its delivery), committed together, 50 at a time over the bench pool's 10
 * connections: as many as the web app's main pool (its ingestion batches
 * use one at a time).
 */
async function rawInsertLoop({ stack, options }: Bench, app: BenchApp) {
  const endpointId = app.endpointIds[0]!;
  const payload = JSON.stringify({ sequence: 0, filler: "x".repeat(990) });
  let inserted = 0;
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const insertOne = async () => {
    const client = await stack.pool.connect();
    try {
      // Ids made as the app makes them: each row goes to the day partition of its id's time.
      const eventId = newId("event");
      const deliveryId = newId("delivery");
      await client.query("BEGIN");
      await client.query(`INSERT INTO events (id, app_id, event_type, payload) VALUES ($1, $2, $3, $4)`, [
        eventId,
        app.id,
        app.eventTypes[0],
        payload,
      ]);
      await client.query(
        `INSERT INTO deliveries (id, app_id, event_id, endpoint_id, next_attempt_at, status) VALUES ($1, $2, $3, $4, now(), 'succeeded')`,
        [deliveryId, app.id, eventId, endpointId],
      );
      await client.query("COMMIT");
      inserted++;
    } finally {
      client.release();
    }
  };
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await insertOne();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const perSecond = inserted / ((performance.now() - started) / 1000);
  latencies.sort((a, b) => a - b);
  return { perSecond, p99: latencies[Math.floor(latencies.length * 0.99)] ?? NaN, inserted };
}

export async function scenarioIngest(bench: Bench) {
  const { stack, api, options, report } = bench;
  console.log("\n[3] Ingestion alone: POST /events at 50 clients vs a raw pg insert loop of the same rows");
  await stack.stopWorkers();
  const app = await healthyApp(api, "bench-ingest", 1, `${stack.receiverUrl}/ok/i`, 1);
  await closedLoop(api, app, 50, options.warmupSeconds);
  const sampler = sampleResources(stack);
  const ingest = await closedLoop(api, app, 50, options.seconds);
  const resources = sampler.stop();
  const raw = await rawInsertLoop(bench, app);
  const ratio = ingest.perSecond / raw.perSecond;
  report.results.ingest = { api: ingest, resources, raw };
  const { row } = report;
  const s = "3 ingestion";
  row(s, "POST /events accepted/s (50 clients)", fmt(ingest.perSecond));
  row(s, "POST /events p50/p99 ms", `${fmt(ingest.latencyMs.p50, 1)}/${fmt(ingest.latencyMs.p99, 1)}`);
  row(s, "errors", String(ingest.errors));
  row(s, "raw pg insert loop rows/s (p99 ms)", `${fmt(raw.perSecond)} (${fmt(raw.p99, 1)})`);
  row(s, "ratio to raw insert", fmt(ratio, 2), ">= 0.50", ratio >= 0.5);
  const cpu = resources.cpuPercent;
  row(s, "CPU % (web/postgres/redis/client)", `${cpu.web}/${cpu.postgres}/${cpu.redis}/${cpu.benchClient}`);
  await quiesce(stack);
}
