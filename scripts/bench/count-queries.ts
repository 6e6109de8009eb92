// Counts the SQL statements (round trips to PostgreSQL) one scheduled
// attempt makes, successful and failed, by wrapping node-postgres's query.
// A measurement aid for profiling (docs/performance.md, "How to profile"),
// not part of the benchmark run.
//
//   npx tsx scripts/bench/count-queries.ts
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { Redis } from "ioredis";
import pLimit from "p-limit";
import { dropDatabase, ensureDatabase, migrate } from "../services";

const url = new URL(process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
url.pathname = `/hookpost_qc_${Date.now().toString(36)}`;
process.env.DATABASE_URL = url.toString();
process.env.SECRETS_ENCRYPTION_KEYS ??= `qc:${randomBytes(32).toString("base64")}`;
process.env.ALLOW_PRIVATE_ENDPOINTS = "true";
process.env.LOG_LEVEL = "warn";
await ensureDatabase(url.toString());
await migrate(url.toString(), { quiet: true });

const statements: string[] = [];
// Called below with the client as `this`, which is what the wrapper passes on.
// eslint-disable-next-line @typescript-eslint/unbound-method
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string };
  statements.push((typeof first === "string" ? first : (first.text ?? "")).replace(/\s+/g, " ").slice(0, 110));
  return (original as (...a: unknown[]) => unknown).apply(this, args);
} as typeof original;

const { closeDb, getDb, getHotPathPool } = await import("../../lib/platform/db");
const { getConfig } = await import("../../lib/platform/config");
const { createEndpoint } = await import("../../lib/endpoints/endpoints");
const { ingestEvent } = await import("../../lib/events/events");
const { makeScheduledAttempt } = await import("../../lib/sending/make-attempt");
const { createAttemptStore } = await import("../../lib/deliveries/attempt-store");
const { createDeliveryAgent } = await import("../../lib/sending/http-client");
const { EndpointSlots } = await import("../../lib/sending/endpoint-slots");
const { createEndpointBreaker } = await import("../../lib/sending/endpoint-breaker");
const { EndpointRateLimiter } = await import("../../lib/sending/rate-limiter");
const { DeliveryProducer } = await import("../../lib/queue/producer");
const { createLogger } = await import("../../lib/platform/logger");
const { defaultSchedule } = await import("../../lib/deliveries/retry-schedule");

let status = 200;
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(status).end("ok"));
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const receiver = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

const config = getConfig();
const db = getDb();
const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
const producer = new DeliveryProducer(redis, `hookpost_qc_${Date.now().toString(36)}`);
const policy = { allowPrivate: true, allowedCidrs: [] };
const agent = createDeliveryAgent(policy, 5_000);
const deps = {
  db,
  store: createAttemptStore(getHotPathPool(), db),
  producer,
  agent,
  operatorAgent: agent,
  policy,
  schedule: defaultSchedule(),
  config,
  logger: createLogger("worker"),
  slots: new EndpointSlots({ limit: 10, timeoutMs: 5_000, maxWaiting: 20 }),
  breaker: createEndpointBreaker(getHotPathPool(), 10),
  rateLimiter: new EndpointRateLimiter(redis, () => "qc"),
  sending: pLimit(10),
  attempting: pLimit(30),
};

await db.app.create({ data: { id: "app_qc", name: "qc" } });
const endpoint = await createEndpoint(
  db,
  "app_qc",
  { url: receiver, description: "", eventTypes: [], rateLimit: null },
  policy,
);
const report = (label: string) => {
  console.log(`\n${label}: ${statements.length} statements`);
  for (const statement of statements) console.log(`  ${statement}`);
  statements.length = 0;
};
try {
  for (const [label, code] of [
    ["ingest one event (lib/events/events.ts)", 0],
    ["scheduled attempt, 200", 200],
    ["scheduled attempt, 500 (retry scheduled)", 500],
  ] as const) {
    statements.length = 0;
    const ingested = await ingestEvent(db, { id: "app_qc" }, { eventType: "qc", payload: { n: 1 } }, undefined);
    if (code === 0) {
      report(label);
      continue;
    }
    statements.length = 0;
    status = code;
    await makeScheduledAttempt(deps, { deliveryId: ingested.deliveryIds[0]!, attempt: 1, trace: {} });
    report(label);
  }
  void endpoint;
} finally {
  await producer.queues[0]!.obliterate({ force: true });
  await producer.close();
  redis.disconnect();
  await agent.close();
  server.close();
  await closeDb();
  await dropDatabase(url.toString());
}
