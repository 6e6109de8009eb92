// Scenario 1, the ceiling: the irreducible work of one delivery, hand-rolled
// with the same libraries and concurrency as the worker: take a BullMQ job,
// sign the body (HMAC-SHA256), POST it with undici over keep-alive, insert
// one attempt row with pg. Its own process, like the worker. Prints one
// JSON line with the result.
import { createHmac, randomBytes } from "node:crypto";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";
import { Agent, request } from "undici";
import { monotonicFactory } from "ulidx";

interface RawOptions {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  url: string;
  deliveryId: string;
  endpointId: string;
  concurrency: number;
  seconds: number;
  warmupSeconds: number;
}

const options = JSON.parse(process.env.BENCH_RAW ?? "{}") as RawOptions;
const nextUlid = monotonicFactory();
const secret = randomBytes(32);
const body = JSON.stringify({
  type: "bench.raw",
  timestamp: new Date().toISOString(),
  data: { filler: "x".repeat(1000) },
});

const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
const producerConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
const workerConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
const agent = new Agent({ keepAliveTimeout: 30_000 });
const queue = new Queue("raw", {
  connection: producerConnection,
  prefix: options.prefix,
  defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
});

let completed = 0;
let failures = 0;
const worker = new Worker(
  "raw",
  async (job) => {
    const id = `msg_${String(job.id)}`;
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = createHmac("sha256", secret).update(`${id}.${timestamp}.${body}`).digest("base64");
    const headers = {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": `v1,${signature}`,
    };
    const started = performance.now();
    const response = await request(options.url, { method: "POST", headers, body, dispatcher: agent });
    const text = await response.body.text();
    await pool.query(
      `INSERT INTO attempts (id, delivery_id, endpoint_id, trigger, response_status_code, response_body,
                             duration_ms, succeeded, request_headers)
       VALUES ($1, $2, $3, 'scheduled', $4, $5, $6, $7, $8)`,
      [
        `atm_${nextUlid()}`,
        options.deliveryId,
        options.endpointId,
        response.statusCode,
        text,
        Math.round(performance.now() - started),
        response.statusCode < 300,
        JSON.stringify(headers),
      ],
    );
    completed++;
  },
  { connection: workerConnection, prefix: options.prefix, concurrency: options.concurrency },
);
worker.on("failed", () => failures++);

// Keeps the queue stocked so the consumer never waits for the producer.
let producing = true;
let added = 0;
async function produce() {
  while (producing) {
    const waiting = await queue.getWaitingCount();
    if (waiting < 2_000) {
      await queue.addBulk(
        Array.from({ length: 500 }, () => ({
          name: "raw",
          data: { deliveryId: options.deliveryId, attempt: 1 },
          opts: { jobId: `r${added++}` },
        })),
      );
    } else {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

const production = produce();
await new Promise((resolve) => setTimeout(resolve, options.warmupSeconds * 1000));
const startCount = completed;
const started = performance.now();
const cpuAtStart = process.cpuUsage();
await new Promise((resolve) => setTimeout(resolve, options.seconds * 1000));
const done = completed - startCount;
const elapsed = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuAtStart);
const rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
producing = false;
await production;
await worker.close(true);
await queue.obliterate({ force: true });
await queue.close();
await agent.close();
await pool.end();
producerConnection.disconnect();
workerConnection.disconnect();
process.stdout.write(
  `${JSON.stringify({
    deliveries: done,
    seconds: elapsed,
    perSecond: done / elapsed,
    failures,
    rssMb,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  })}\n`,
);
process.exit(0);
