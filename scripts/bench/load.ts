// The load side: sets up apps and endpoints through the API, sends events
// (closed loop: N clients back to back; open loop: a fixed rate), and reads
// the outcome back from the database.
import { Pool } from "undici";
import type pg from "pg";
import { sleep } from "./stack";

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export class Api {
  readonly pool: Pool;

  constructor(
    readonly baseUrl: string,
    readonly apiKey: string,
    connections: number,
  ) {
    this.pool = new Pool(baseUrl, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  }

  async call(method: "GET" | "POST", path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const response = await this.pool.request({
      method,
      path: `/api/v1${path}`,
      headers: {
        authorization: `Bearer ${this.apiKey}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.body.text();
    return { status: response.statusCode, json: text ? (JSON.parse(text) as unknown) : undefined };
  }

  async mustPost<T>(path: string, body: unknown): Promise<T> {
    const { status, json } = await this.call("POST", path, body);
    if (status >= 300) throw new Error(`POST ${path} answered ${status}: ${JSON.stringify(json)}`);
    return json as T;
  }

  close() {
    return this.pool.close();
  }
}

export interface BenchApp {
  id: string;
  uid: string;
  endpointIds: string[];
  /** eventTypes[i] is sent by the i-th event of a round. */
  eventTypes: string[];
}

/** An app whose endpoints each subscribe to the event types given, pointing at the receiver paths given. */
export async function createBenchApp(
  api: Api,
  uid: string,
  endpoints: Array<{ url: string; eventTypes: string[] }>,
  eventTypes: string[],
): Promise<BenchApp> {
  const app = await api.mustPost<{ id: string }>("/apps", { name: uid, uid });
  const endpointIds: string[] = [];
  for (const endpoint of endpoints) {
    const created = await api.mustPost<{ id: string }>(`/apps/${uid}/endpoints`, endpoint);
    endpointIds.push(created.id);
  }
  return { id: app.id, uid, endpointIds, eventTypes };
}

/**
 * An app of `endpoints` endpoints at `path`0, `path`1, ..., each subscribed
 * to one event type; an event reaches `perEvent` of them.
 */
export function healthyApp(api: Api, uid: string, endpoints: number, path: string, perEvent: 1 | 5): Promise<BenchApp> {
  const types = perEvent === 1 ? endpoints : endpoints / perEvent;
  return createBenchApp(
    api,
    uid,
    Array.from({ length: endpoints }, (_, k) => ({ url: `${path}${k}`, eventTypes: [`${uid}.t${k % types}`] })),
    Array.from({ length: types }, (_, k) => `${uid}.t${k}`),
  );
}

/** A 1 KiB event body (the JSON as sent, payload included). */
export function eventBody(eventType: string, sequence: number): string {
  const head = JSON.stringify({ eventType, payload: { sequence, filler: "" } });
  return JSON.stringify({ eventType, payload: { sequence, filler: "x".repeat(Math.max(0, 1024 - head.length)) } });
}

export interface IngestStats {
  sent: number;
  accepted: number;
  errors: number;
  seconds: number;
  perSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** Open loop only: requests that could not start on time because too many were in flight. */
  late?: number;
}

function summarize(latencies: number[], sent: number, accepted: number, errors: number, seconds: number): IngestStats {
  latencies.sort((a, b) => a - b);
  return {
    sent,
    accepted,
    errors,
    seconds,
    perSecond: accepted / seconds,
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? NaN,
    },
  };
}

async function sendOne(api: Api, app: BenchApp, sequence: number): Promise<{ ok: boolean; ms: number }> {
  const eventType = app.eventTypes[sequence % app.eventTypes.length]!;
  const started = performance.now();
  try {
    const { status } = await api.call("POST", `/apps/${app.uid}/events`, eventBody(eventType, sequence));
    return { ok: status === 202, ms: performance.now() - started };
  } catch {
    return { ok: false, ms: performance.now() - started };
  }
}

/** `clients` senders back to back for `seconds`. */
export async function closedLoop(api: Api, app: BenchApp, clients: number, seconds: number): Promise<IngestStats> {
  const latencies: number[] = [];
  let sequence = 0;
  let accepted = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const result = await sendOne(api, app, sequence++);
        latencies.push(result.ms);
        if (result.ok) accepted++;
        else errors++;
      }
    }),
  );
  return summarize(latencies, sequence, accepted, errors, (performance.now() - started) / 1000);
}

/** `rate` events per second for `seconds`, whatever the answers' latency (at most `maxInFlight` at once). */
export async function openLoop(
  api: Api,
  app: BenchApp,
  rate: number,
  seconds: number,
  maxInFlight = 200,
): Promise<IngestStats> {
  const latencies: number[] = [];
  let accepted = 0;
  let errors = 0;
  let late = 0;
  let inFlight = 0;
  const pending: Array<Promise<void>> = [];
  const total = Math.round(rate * seconds);
  const started = performance.now();
  for (let sequence = 0; sequence < total; sequence++) {
    const due = started + (sequence * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    if (inFlight >= maxInFlight) {
      late++;
      continue;
    }
    inFlight++;
    pending.push(
      sendOne(api, app, sequence).then((result) => {
        inFlight--;
        latencies.push(result.ms);
        if (result.ok) accepted++;
        else errors++;
      }),
    );
  }
  await Promise.all(pending);
  return { ...summarize(latencies, total, accepted, errors, seconds), late };
}

/** Attempts recorded between two instants (attempt created_at is when it started). */
export async function attemptsBetween(pool: pg.Pool, appId: string, from: Date, to: Date): Promise<number> {
  const { rows } = await pool.query<{ count: string }>(
    `SELECT count(*) FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
     WHERE d.app_id = $1 AND a.created_at >= $2 AND a.created_at < $3`,
    [appId, from, to],
  );
  return Number(rows[0]!.count);
}

/** Deliveries of the app (of `endpointIds` only, when given) still waiting for their first attempt. */
export async function pendingFirstAttempts(pool: pg.Pool, appId: string, endpointIds?: string[]): Promise<number> {
  const { rows } = endpointIds
    ? await pool.query<{ count: string }>(
        `SELECT count(*) FROM deliveries WHERE app_id = $1 AND attempt_count = 0 AND endpoint_id = ANY($2)`,
        [appId, endpointIds],
      )
    : await pool.query<{ count: string }>(`SELECT count(*) FROM deliveries WHERE app_id = $1 AND attempt_count = 0`, [
        appId,
      ]);
  return Number(rows[0]!.count);
}

/**
 * Waits until every delivery of the app (of `endpointIds` only, when given)
 * has had its first attempt; false if that takes longer than `timeoutMs`.
 */
export async function waitForFirstAttempts(
  pool: pg.Pool,
  appId: string,
  timeoutMs: number,
  endpointIds?: string[],
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await pendingFirstAttempts(pool, appId, endpointIds)) === 0) return true;
    await sleep(250);
  }
  return false;
}

export interface LatencySummary {
  deliveries: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** The p99 of each second of the phase, so a tail spread over the run can be told from a stall. */
  p99BySecond: number[];
}

/**
 * Ingestion to first attempt: the event's created_at (its transaction's
 * start, in PostgreSQL) to its delivery's first attempt row (when the worker
 * started the request). Only events created in [from, to).
 */
export async function firstAttemptLatency(
  pool: pg.Pool,
  appId: string,
  from: Date,
  to: Date,
  endpointIds?: string[],
): Promise<LatencySummary> {
  const { rows } = await pool.query<{ second: number; ms: number }>(
    `SELECT floor(extract(epoch FROM e.created_at - $2::timestamptz))::int AS second,
            extract(epoch FROM min(a.created_at) - e.created_at) * 1000 AS ms
     FROM events e
     JOIN deliveries d ON d.event_id = e.id
     JOIN attempts a ON a.delivery_id = d.id
     WHERE e.app_id = $1 AND e.created_at >= $2 AND e.created_at < $3
       AND ($4::text[] IS NULL OR d.endpoint_id = ANY($4))
     GROUP BY d.id, e.created_at`,
    [appId, from, to, endpointIds ?? null],
  );
  const sorted = rows.map((row) => Number(row.ms)).sort((a, b) => a - b);
  const bySecond: number[][] = [];
  for (const row of rows) (bySecond[row.second] ??= []).push(Number(row.ms));
  return {
    deliveries: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    p99BySecond: Array.from(bySecond, (second = []) =>
      Math.round(
        percentile(
          second.sort((a, b) => a - b),
          99,
        ),
      ),
    ),
  };
}
