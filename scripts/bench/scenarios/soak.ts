// The soak (`--soak-seconds`): the worker's RSS every 10 s at full load,
// to tell a leak from a heap that has found its size.
import type { Bench } from "../context";
import { closedLoop, healthyApp } from "../load";
import { quiesce } from "../measures";
import { rssMb, sleep } from "../stack";

interface RssSample {
  second: number;
  workerRssMb: number;
  webRssMb: number;
}

export async function scenarioSoak({ stack, api, options, report }: Bench) {
  const seconds = options.soakSeconds;
  console.log(`\n[soak] Worker RSS over ${seconds} s at full load`);
  const app = await healthyApp(api, "bench-soak", 50, `${stack.receiverUrl}/ok/k`, 1);
  const [worker] = await stack.startWorkers(1);
  const samples: RssSample[] = [];
  const started = performance.now();
  const load = closedLoop(api, app, options.ingestClients, seconds);
  while (performance.now() - started < seconds * 1000) {
    await sleep(10_000);
    samples.push({
      second: Math.round((performance.now() - started) / 1000),
      workerRssMb: rssMb(worker!.process.pid),
      webRssMb: rssMb(stack.web.process.pid),
    });
  }
  const ingest = await load;
  const { rows } = await stack.pool.query<{ count: string }>(
    `SELECT count(*) FROM deliveries WHERE app_id = $1 AND attempt_count > 0`,
    [app.id],
  );
  const delivered = Number(rows[0]!.count);
  // The first sample is past start-up and warm-up; growth is judged from there.
  const first = samples[0]!;
  const last = samples.at(-1)!;
  const peak = Math.max(...samples.map((sample) => sample.workerRssMb));
  const growth = last.workerRssMb - first.workerRssMb;
  report.results.soak = { seconds, samples, ingest, delivered };
  const s = "soak";
  report.row(
    s,
    `worker RSS MB at ${first.second} s -> ${last.second} s (peak)`,
    `${first.workerRssMb} -> ${last.workerRssMb} (${peak})`,
    "< 250, growth < 10%",
    peak < 250 && growth < first.workerRssMb * 0.1,
  );
  report.row(s, "web RSS MB start -> end", `${first.webRssMb} -> ${last.webRssMb}`);
  report.row(s, "events ingested / deliveries attempted", `${ingest.accepted} / ${delivered}`);
  await quiesce(stack);
}
