// The delivery worker: its own process, never part of the web server. It
// takes attempt jobs from BullMQ, makes them, queues the retries that come
// due, and sweeps the database for deliveries the queue lost (and for
// rotated-out signing secrets past their overlap), and keeps the delivery
// log's partitions (lib/retention/).
import { Worker, type Job } from "bullmq";
import pLimit from "p-limit";
import { getConfigOrExit } from "../lib/platform/config";
import { closeDb, getDb, getHotPathPool, getPool } from "../lib/platform/db";
import { createAttemptStore, tendHeldDeliveries } from "../lib/deliveries/attempt-store";
import { createEndpointBreaker } from "../lib/sending/endpoint-breaker";
import { EndpointSlots } from "../lib/sending/endpoint-slots";
import { EndpointRateLimiter } from "../lib/sending/rate-limiter";
import { createDeliveryAgent } from "../lib/sending/http-client";
import { startScheduler } from "../lib/sending/scheduler";
import { startSweeper } from "../lib/sending/sweeper";
import { createLogger } from "../lib/platform/logger";
import { runPeriodically } from "../lib/platform/periodic";
import { startSecretPruner } from "../lib/endpoints/previous-secrets";
import { startMaintenance } from "../lib/retention/maintenance";
import { DELIVERY_QUEUE } from "../lib/queue/jobs";
import { DeliveryProducer } from "../lib/queue/producer";
import { createProducerConnection, createWorkerConnection, isCluster } from "../lib/queue/redis";
import { shardPlacement } from "../lib/queue/shards";
import { sampleQueueDepth } from "../lib/queue/depth";
import { scheduleFromConfig } from "../lib/deliveries/retry-schedule";
import { initTracing, shutdownTracing } from "../lib/platform/tracing";
import { createJobHandler } from "./handlers";
import { startStatusServer } from "./status-server";

const logger = createLogger("worker");

const config = getConfigOrExit((message) => logger.fatal(message));
initTracing("worker");
const db = getDb();
const producerConnection = createProducerConnection(config.REDIS_URL, logger);
const workerConnection = createWorkerConnection(config.REDIS_URL, logger);
const producer = new DeliveryProducer(producerConnection, config.QUEUE_PREFIX, config.QUEUE_SHARDS);
const policy = { allowPrivate: config.ALLOW_PRIVATE_ENDPOINTS, allowedCidrs: config.ALLOWED_PRIVATE_CIDRS };
const agent = createDeliveryAgent(policy, config.DELIVERY_TIMEOUT);
const operatorAgent = createDeliveryAgent({ allowPrivate: true, allowedCidrs: [] }, config.DELIVERY_TIMEOUT);

/** Aborted on SIGTERM, so that first-attempts jobs start nothing new and go back to the queue. */
const stopping = new AbortController();
const store = createAttemptStore(getHotPathPool(), db);
const slots = new EndpointSlots({
  limit: config.ENDPOINT_CONCURRENCY,
  timeoutMs: config.DELIVERY_TIMEOUT,
  maxWaiting: 4 * config.WORKER_CONCURRENCY,
  stopping: stopping.signal,
  onRoom: (postponed) =>
    void Promise.all(postponed.map((item) => store.wake(item))).catch((error: unknown) =>
      // They still come back at the turn their rows were given.
      logger.error(
        { err: error, deliveryIds: postponed.map((item) => item.deliveryId) },
        "could not wake postponed attempts",
      ),
    ),
});
const handle = createJobHandler({
  db,
  store,
  producer,
  agent,
  policy,
  schedule: scheduleFromConfig(config.RETRY_SCHEDULE),
  config,
  logger,
  slots,
  breaker: createEndpointBreaker(getHotPathPool(), config.ENDPOINT_BREAKER_FAILURES),
  sending: pLimit(config.WORKER_CONCURRENCY),
  attempting: pLimit(config.WORKER_CONCURRENCY + slots.maxWaiting),
  stopping: stopping.signal,
  rateLimiter: new EndpointRateLimiter(producerConnection, (endpointId) => producer.prefixOf(endpointId)),
  operatorAgent,
});

// One BullMQ worker per queue shard this process consumes (all of them
// unless WORKER_SHARDS says otherwise). Each may run as many jobs as the
// process; what bounds the work is the process's own limits (`sending`,
// `attempting`), shared by all of them, so an idle shard lends its share.
const consumed = producer.shards.filter(
  (shard) => config.WORKER_SHARDS === undefined || config.WORKER_SHARDS.includes(shard.index),
);
const workers = consumed.map((shard) => {
  const worker = new Worker(DELIVERY_QUEUE, (job: Job, token?: string) => handle(job, token), {
    connection: workerConnection,
    prefix: shard.prefix,
    // Attempts waiting for their endpoint's slot keep their jobs active: the
    // queue runs that many more, so that waiters never take other endpoints' place.
    concurrency: config.WORKER_CONCURRENCY + slots.maxWaiting,
    lockDuration: config.JOB_LOCK_DURATION,
    stalledInterval: config.JOB_LOCK_DURATION,
  });
  worker.on("error", (error) => logger.error({ err: error, shard: shard.index }, "worker error"));
  worker.on("failed", (job, error) =>
    logger.warn({ err: error, jobId: job?.id, attemptsMade: job?.attemptsMade, shard: shard.index }, "job failed"),
  );
  return worker;
});

const scheduler = startScheduler(getPool(), producer, logger, config.SCHEDULER_INTERVAL);
const sweeper = startSweeper(db, producer, logger, config.SWEEP_INTERVAL);
const secretPruner = startSecretPruner(db, logger, config.SWEEP_INTERVAL);
// Probes endpoints whose deliveries all wait for their breaker, once a second.
const heldTender = runPeriodically(
  1_000,
  () => tendHeldDeliveries(getPool()),
  (error) => logger.warn({ err: error }, "tending held deliveries failed; retrying next second"),
);
// Partitions ahead, days past RETENTION dropped, expired idempotency keys removed.
const maintenance = startMaintenance(getPool(), logger, config.RETENTION);
const queueDepth = sampleQueueDepth(producer.queues, logger, 5_000);
const statusServer = await startStatusServer({
  port: config.WORKER_METRICS_PORT,
  token: config.METRICS_TOKEN,
  db,
  redis: producerConnection,
  logger,
});
// On a cluster, says which primary serves each shard once the slot map is
// known, and warns when shards share a primary while another has none.
if (isCluster(producerConnection)) {
  const cluster = producerConnection;
  const report = () => {
    const { primaries, crowded } = shardPlacement(producer.shards, cluster.slots);
    if (crowded)
      logger.warn({ primaries }, "queue shards share a primary: move their slots apart (docs/deployment.md)");
    else logger.info({ primaries }, "queue shards on the cluster's primaries");
  };
  if (cluster.status === "ready") report();
  else cluster.once("ready", report);
}
logger.info(
  {
    concurrency: config.WORKER_CONCURRENCY,
    queuePrefix: config.QUEUE_PREFIX,
    shards: consumed.map((shard) => ({ shard: shard.index, prefix: shard.prefix, slot: shard.slot })),
  },
  "worker started",
);

let shuttingDown = false;
async function shutdown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, "shutting down: finishing in-flight deliveries");
  // In-flight attempts end by DELIVERY_TIMEOUT; past that plus a margin
  // something is stuck, and the lock expiry hands its jobs to another worker.
  setTimeout(() => {
    logger.error("graceful shutdown took too long; exiting");
    process.exit(1);
  }, config.DELIVERY_TIMEOUT + 10_000).unref();
  // Order matters: stop taking jobs and let active ones finish (a
  // first-attempts job finishes its requests in flight and goes back to
  // the queue for the rest), then close the producer side, then the
  // connections the others used.
  stopping.abort();
  await scheduler.stop();
  await sweeper.stop();
  await secretPruner.stop();
  await heldTender.stop();
  await maintenance.stop();
  queueDepth.stop();
  await Promise.all(workers.map((worker) => worker.close()));
  await producer.close();
  await agent.close();
  await operatorAgent.close();
  statusServer.close();
  await shutdownTracing();
  await closeDb();
  producerConnection.disconnect();
  workerConnection.disconnect();
  logger.info("worker stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
