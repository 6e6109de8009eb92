// Prometheus metrics, one registry per process (the `service` label tells
// web from worker). Labels are bounded: app ids and classes, never event
// ids or URLs.
import client from "prom-client";
import type { ExchangeResult } from "../sending/http-client";

function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    eventsIngested: new client.Counter({
      name: "hookpost_events_ingested_total",
      help: "Events received by the API, by app and outcome (accepted, duplicate, rejected)",
      labelNames: ["app", "outcome"] as const,
      registers,
    }),
    attempts: new client.Counter({
      name: "hookpost_attempts_total",
      help: "Delivery attempts by outcome, status class (2xx..5xx or error class) and trigger",
      labelNames: ["outcome", "status_class", "trigger"] as const,
      registers,
    }),
    deliveriesCompleted: new client.Counter({
      name: "hookpost_deliveries_completed_total",
      help: "Deliveries that reached a final state (succeeded, failed)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    attemptDuration: new client.Histogram({
      name: "hookpost_attempt_duration_seconds",
      help: "Duration of the HTTP exchange with an endpoint",
      labelNames: ["status_class"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
      registers,
    }),
    attemptsDeferred: new client.Counter({
      name: "hookpost_attempts_deferred_total",
      help: "Attempts put back for later because their endpoint was at its concurrency cap or rate limit",
      labelNames: ["reason"] as const,
      registers,
    }),
    attemptsWaiting: new client.Gauge({
      name: "hookpost_attempts_waiting",
      help: "Attempts waiting in the worker for a free slot of their endpoint, which is at its concurrency cap",
      registers,
    }),
    deliveriesHeld: new client.Counter({
      name: "hookpost_deliveries_held_total",
      help: "Scheduled attempts not sent because their endpoint's breaker was open: the delivery waits for it to close",
      registers,
    }),
    firstAttemptLatency: new client.Histogram({
      name: "hookpost_ingest_to_first_attempt_seconds",
      help: "Time from an event's acceptance to the start of its first attempt",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    queueJobs: new client.Gauge({
      name: "hookpost_queue_jobs",
      help: "Jobs in the delivery queue by state, sampled by the worker; a first-attempts job holds a whole ingestion batch",
      labelNames: ["state"] as const,
      registers,
    }),
    // Read from the database at each scrape, by whichever process is scraped (lib/deliveries/backlog.ts).
    deliveriesDue: new client.Gauge({
      name: "hookpost_deliveries_due",
      help: "Pending deliveries whose next attempt is due now (counted up to 100000)",
      registers,
    }),
    oldestDueDeliverySeconds: new client.Gauge({
      name: "hookpost_oldest_due_delivery_seconds",
      help: "How long the delivery due the longest has been waiting; 0 when none is due",
      registers,
    }),
    retriesScheduled: new client.Gauge({
      name: "hookpost_retries_scheduled",
      help: "Pending deliveries whose next attempt is still to come (counted up to 100000)",
      registers,
    }),
    sweeperReenqueued: new client.Counter({
      name: "hookpost_sweeper_reenqueued_total",
      help: "Due deliveries the sweeper put (back) on the queue",
      registers,
    }),
    dueAttemptsQueued: new client.Counter({
      name: "hookpost_due_attempts_queued_total",
      help: "Due scheduled attempts (retries, attempts an endpoint held back) the scheduler claimed and queued",
      registers,
    }),
    endpointsDisabled: new client.Counter({
      name: "hookpost_endpoints_disabled_total",
      help: "Endpoints disabled by Hookpost, by reason",
      labelNames: ["reason"] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const globalForMetrics = globalThis as unknown as { hookpostMetrics?: Metrics };

export function getMetrics(): Metrics {
  globalForMetrics.hookpostMetrics ??= createMetrics();
  return globalForMetrics.hookpostMetrics;
}

/** "2xx".."5xx" for an HTTP answer, else the error class (timeout, dns, ...). */
export function statusClass(result: Pick<ExchangeResult, "statusCode" | "error">): string {
  if (result.statusCode !== undefined) return `${Math.floor(result.statusCode / 100)}xx`;
  return result.error ?? "network_error";
}

/** Whether a scrape presents the configured bearer token (or none is configured). */
export function metricsAuthorized(authorization: string | null | undefined, token: string | undefined): boolean {
  if (!token) return true;
  return authorization === `Bearer ${token}`;
}
