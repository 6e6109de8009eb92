// The two statements every attempt makes, loading its delivery and
// recording its outcome, shared by the worker's concurrent attempts: calls
// that arrive while a statement is running go out together in the next one
// (lib/platform/batching.ts). An idle worker sends each at once; a busy one sends
// one statement and one commit for many attempts instead of one each.
//
// This is the only code that writes what an attempt did to its delivery
// and its endpoint's health (lib/deliveries/attempt-outcome.ts decides it).
// An attempt that fails its delivery for good or disables its endpoint, and
// a manual attempt, are recorded by the same statement inside a transaction
// that also writes their operational events. Held deliveries are moved
// here too, when their endpoint's breaker closes or its probe is due (the
// breaker, lib/sending/endpoint-breaker.ts, decides when).
import { Prisma, type DeliveryStatus, type Endpoint, type Event } from "@prisma/client";
import { recordOperationalEvent } from "../events/operational-events";
import { createBatcher } from "../platform/batching";
import { getDb, queryRows, type Db, type Pool, type Tx } from "../platform/db";
import type { Postponed } from "../sending/endpoint-slots";
import { type AttemptDecision, type DeliveryMove, type Trigger } from "./attempt-outcome";

/** What an attempt needs of a delivery, its endpoint and its event. */
export interface LoadedDelivery {
  id: string;
  appId: string;
  eventId: string;
  endpointId: string;
  status: DeliveryStatus;
  attemptCount: number;
  scheduledAttempts: number;
  firstAttemptAt: Date | null;
  createdAt: Date;
  endpoint: Pick<
    Endpoint,
    | "url"
    | "disabled"
    | "rateLimit"
    | "secret"
    | "previousSecrets"
    | "headers"
    | "failingSince"
    | "breakerFailures"
    | "probeAt"
  >;
  event: Pick<Event, "id" | "eventType" | "payload" | "createdAt" | "traceParent" | "traceState">;
}

/** The attempt's row in the attempt log. */
export interface AttemptRow {
  id: string;
  deliveryId: string;
  endpointId: string;
  responseStatusCode: number | null;
  responseBody: string | null;
  error: string | null;
  errorDetail: string | null;
  durationMs: number;
  succeeded: boolean;
  requestHeaders: Record<string, string>;
  /** The trace the request was sent in, when it was sent in one. */
  traceId: string | null;
  createdAt: Date;
}

/** A scheduled attempt that neither exhausts its delivery nor disables its endpoint. */
export interface RoutineRecord {
  attempt: AttemptRow;
  /** The schedule step this attempt holds (the job's attempt number). */
  attemptNumber: number;
  outcome: "succeeded" | "retry";
  next: Date | undefined;
}

/** An attempt made and what its outcome does (lib/deliveries/attempt-outcome.ts). */
export interface DecidedAttempt {
  attempt: AttemptRow & { trigger: Trigger; triggeredBy: string | null };
  /** The schedule step a scheduled attempt holds; a manual attempt holds none. */
  attemptNumber: number | null;
  decision: AttemptDecision;
  /** What its operational events name. */
  delivery: Pick<LoadedDelivery, "appId" | "eventId" | "endpointId"> & { url: string };
}

/** What recording an attempt did. */
export interface Recorded {
  /** The delivery made the decided move (for a scheduled attempt: it held its step). */
  moved: boolean;
  /** This attempt disabled its endpoint. */
  disabled: boolean;
  /** Operational events recorded with it, for the worker to announce. */
  operationalEvents: string[];
}

/** A held delivery that fails, unsent, at its deadline (lib/deliveries/attempt-outcome.ts, decideHeld). */
export interface Expiry {
  delivery: Pick<LoadedDelivery, "id" | "appId" | "eventId" | "endpointId">;
  failureReason: string;
  exhaustion: NonNullable<AttemptDecision["exhaustion"]>;
}

export interface AttemptStore {
  load(deliveryId: string): Promise<LoadedDelivery | undefined>;
  /**
   * Records the attempt, the delivery's counters, the endpoint's failure
   * streak and, for the holder of this schedule step only, the move to the
   * next step. True if this call moved the delivery on.
   */
  recordRoutine(record: RoutineRecord): Promise<boolean>;
  /**
   * Records an attempt as decided: a routine one through recordRoutine;
   * one that fails its delivery for good, disables its endpoint, or was
   * asked for by hand, in a transaction with its operational events.
   */
  record(decided: DecidedAttempt): Promise<Recorded>;
  /**
   * Fails a pending delivery whose deadline passed while its endpoint's
   * breaker held it, with its `delivery.exhausted` event. Returns the
   * events recorded: none if the delivery had settled meanwhile.
   */
  expire(expiry: Expiry): Promise<string[]>;
  /**
   * Fails a pending delivery whose endpoint is disabled. Kept, not dropped:
   * the event stays and a replay after re-enabling sends it.
   */
  failForDisabledEndpoint(deliveryId: string): Promise<void>;
  /**
   * Hands a pending delivery its endpoint refused back to the scheduler:
   * its next attempt moves to when the endpoint's cap or rate limit lets it
   * through, and its row names no job, so the scheduler queues it then
   * with whatever else is due (lib/sending/scheduler.ts).
   */
  postpone(deferral: Deferral): Promise<void>;
  /**
   * Brings a postponed attempt forward to now, for the scheduler to queue
   * at once: its endpoint has room before the turn it was given. A delivery
   * that has moved on since (attempted, settled, queued) is left alone.
   */
  wake(postponed: Postponed): Promise<void>;
  /**
   * Makes a pending delivery wait, unsent, for its endpoint's breaker to
   * close (lib/sending/endpoint-breaker.ts): no attempt is recorded, its
   * schedule does not move, and its row is due again at `until`, its
   * deadline. Should the breaker have closed meanwhile, it is due now.
   */
  hold(held: Held): Promise<void>;
}

/** A scheduled attempt its endpoint's breaker held, and the deadline of its delivery. */
export interface Held {
  deliveryId: string;
  until: Date;
}

/** A scheduled attempt an endpoint refused for now, and how long it waits. */
export interface Deferral {
  deliveryId: string;
  delayMs: number;
}

/**
 * One statement of each kind at a time, of up to 100 attempts: what arrives
 * meanwhile goes in the next, so statements grow with load. Two at a time
 * made more, smaller statements and cost more per attempt.
 */
const BATCHING = { maxBatchSize: 100, maxInFlight: 1 };
/**
 * Recording waits up to 10 ms for other attempts: no request waits on it
 * (the response is in hand, the job ends after), and at a moderate rate it
 * writes fewer, larger statements.
 */
const RECORD_BATCHING = { ...BATCHING, lingerMs: 10 };

interface DeliveryRow {
  id: string;
  app_id: string;
  event_id: string;
  endpoint_id: string;
  status: DeliveryStatus;
  attempt_count: number;
  scheduled_attempts: number;
  first_attempt_at: Date | null;
  url: string;
  disabled: boolean;
  rate_limit: number | null;
  secret: string;
  previous_secrets: Prisma.JsonValue;
  headers: Prisma.JsonValue;
  failing_since: Date | null;
  breaker_failures: number;
  probe_at: Date | null;
  created_at: Date;
  event_type: string;
  payload: string;
  trace_parent: string | null;
  trace_state: string | null;
  event_created_at: Date;
}

function toLoadedDelivery(row: DeliveryRow, event: LoadedDelivery["event"]): LoadedDelivery {
  return {
    id: row.id,
    appId: row.app_id,
    eventId: row.event_id,
    endpointId: row.endpoint_id,
    status: row.status,
    attemptCount: row.attempt_count,
    scheduledAttempts: row.scheduled_attempts,
    firstAttemptAt: row.first_attempt_at,
    createdAt: row.created_at,
    endpoint: {
      url: row.url,
      disabled: row.disabled,
      rateLimit: row.rate_limit,
      secret: row.secret,
      previousSecrets: row.previous_secrets,
      headers: row.headers,
      failingSince: row.failing_since,
      breakerFailures: row.breaker_failures,
      probeAt: row.probe_at,
    },
    event,
  };
}

/**
 * The joins written out, on the pool directly: the ORM's include costs a
 * query per relation plus its compilation, once per delivery sent. Each
 * row is looked up by its id, one at a time (LIMIT keeps the planner from
 * turning the look-up around): in a plan made once for any ids, PostgreSQL
 * then reads the one day partition that holds it, where `id = ANY(ids)`
 * would search every day's partition for every id.
 */
export async function loadDeliveries(pool: Pool, ids: string[]): Promise<Array<LoadedDelivery | undefined>> {
  const rows = await queryRows<DeliveryRow>(
    pool,
    Prisma.sql`
    SELECT d.id, d.app_id, d.event_id, d.endpoint_id, d.status, d.attempt_count, d.scheduled_attempts,
           d.first_attempt_at, e.url, e.disabled, e.rate_limit, e.secret, e.previous_secrets,
           e.headers, e.failing_since, e.breaker_failures, e.probe_at, d.created_at, ev.event_type, ev.payload,
           ev.trace_parent, ev.trace_state, ev.created_at AS event_created_at
    FROM unnest(${ids}::text[]) AS wanted(id)
    CROSS JOIN LATERAL (SELECT * FROM deliveries WHERE id = wanted.id LIMIT 1) d
    CROSS JOIN LATERAL (SELECT event_type, payload, trace_parent, trace_state, created_at FROM events WHERE id = d.event_id LIMIT 1) ev
    JOIN endpoints e ON e.id = d.endpoint_id`,
    "load-deliveries",
  );
  // An event's deliveries loaded together share one copy of it: an event
  // fanned out to five endpoints would otherwise be held five times.
  const events = new Map<string, LoadedDelivery["event"]>();
  const eventOf = (row: DeliveryRow) => {
    let event = events.get(row.event_id);
    if (!event) {
      event = {
        id: row.event_id,
        eventType: row.event_type,
        payload: row.payload,
        createdAt: row.event_created_at,
        traceParent: row.trace_parent,
        traceState: row.trace_state,
      };
      events.set(row.event_id, event);
    }
    return event;
  };
  const byId = new Map(rows.map((row) => [row.id, toLoadedDelivery(row, eventOf(row))]));
  return ids.map((id) => byId.get(id));
}

/** One attempt as the record statement takes it. */
interface StatementRecord {
  attempt: AttemptRow & { trigger: Trigger; triggeredBy: string | null };
  /** Null for a manual attempt: its move is not tied to a schedule step. */
  attemptNumber: number | null;
  move: DeliveryMove | undefined;
}

const fromRoutine = (record: RoutineRecord): StatementRecord => ({
  attempt: { ...record.attempt, trigger: "scheduled", triggeredBy: null },
  attemptNumber: record.attemptNumber,
  move: { status: record.outcome === "retry" ? "pending" : record.outcome, next: record.next ?? null },
});

/**
 * One statement, so atomic on its own, for a batch in which each delivery
 * appears once. Rows are locked in id order, so concurrent batches cannot
 * deadlock on them.
 */
function recordStatement(records: StatementRecord[]): Prisma.Sql {
  const column = <T>(pick: (record: StatementRecord) => T) => records.map(pick);
  return Prisma.sql`
    WITH input AS (
      SELECT * FROM unnest(
        ${column((r) => r.attempt.id)}::text[], ${column((r) => r.attempt.deliveryId)}::text[],
        ${column((r) => r.attempt.endpointId)}::text[], ${column((r) => r.attemptNumber)}::int[],
        ${column((r) => r.attempt.trigger)}::attempt_trigger[], ${column((r) => r.attempt.triggeredBy)}::text[],
        ${column((r) => r.attempt.responseStatusCode)}::int[], ${column((r) => r.attempt.responseBody)}::text[],
        ${column((r) => r.attempt.error)}::text[], ${column((r) => r.attempt.errorDetail)}::text[],
        ${column((r) => r.attempt.durationMs)}::int[], ${column((r) => r.attempt.succeeded)}::boolean[],
        ${column((r) => JSON.stringify(r.attempt.requestHeaders))}::jsonb[], ${column((r) => r.attempt.traceId)}::text[],
        ${column((r) => r.attempt.createdAt)}::timestamptz[],
        ${column((r) => r.move?.status ?? null)}::delivery_status[],
        ${column((r) => r.move?.next ?? null)}::timestamptz[]
      ) AS i(id, delivery_id, endpoint_id, attempt_number, trigger, triggered_by, status_code, response_body,
             error, error_detail, duration_ms, succeeded, request_headers, trace_id, created_at, status, next_attempt_at)
    ), current AS (
      -- Locked, so the step check below sees the latest committed state.
      -- NO KEY UPDATE, as the update itself would take: no key changes, so
      -- inserts whose foreign keys name these rows need not wait. Carries
      -- the input the update needs, so that it joins no other CTE (the
      -- hot-path pool plans no hash join, lib/platform/db.ts).
      -- Each delivery is looked up by its id, in id order (the lock order):
      -- a join would let the planner read every day partition's index whole.
      SELECT d.id, i.created_at, i.status_code, i.attempt_number, i.status, i.next_attempt_at,
             -- Only the holder of this schedule step moves the delivery on, so a
             -- duplicate run records its attempt but never schedules twice. A
             -- manual attempt holds no step: its move (a success) is always made.
             CASE WHEN i.attempt_number IS NULL THEN i.status IS NOT NULL
                  ELSE d.status = 'pending' AND d.scheduled_attempts = i.attempt_number - 1
             END AS moves
      FROM (SELECT * FROM input ORDER BY delivery_id COLLATE "C") i
      CROSS JOIN LATERAL (
        SELECT id, status, scheduled_attempts FROM deliveries WHERE id = i.delivery_id LIMIT 1 FOR NO KEY UPDATE
      ) d
    ), recorded AS (
      INSERT INTO attempts (id, delivery_id, endpoint_id, trigger, triggered_by, response_status_code,
                            response_body, error, error_detail, duration_ms, succeeded, request_headers, trace_id,
                            created_at)
      SELECT id, delivery_id, endpoint_id, trigger, triggered_by, status_code, response_body, error, error_detail,
             duration_ms, succeeded, request_headers, trace_id, created_at
      FROM input
    ), streaks AS (
      -- Per endpoint, as if its attempts were recorded one by one: the last
      -- success ends a failure streak, the first failure after it starts one.
      SELECT endpoint_id,
             max(created_at) FILTER (WHERE succeeded) AS last_success,
             min(created_at) FILTER (WHERE NOT succeeded) AS first_failure,
             bool_or(succeeded) AS any_success,
             max(created_at) AS last_attempt
      FROM input GROUP BY endpoint_id
    ), transitions AS (
      -- Only endpoints whose streak changes, locked in id order so that two
      -- statements changing the same endpoints cannot deadlock. NO KEY
      -- UPDATE: ingestion, whose new deliveries name these endpoints,
      -- neither waits for this statement nor makes it wait.
      SELECT e.id,
             CASE
               WHEN s.last_success = s.last_attempt THEN NULL
               WHEN s.any_success THEN (SELECT min(i.created_at) FROM input i
                                        WHERE i.endpoint_id = s.endpoint_id AND NOT i.succeeded
                                          AND i.created_at > s.last_success)
               ELSE s.first_failure
             END AS failing_since
      FROM endpoints e JOIN streaks s ON s.endpoint_id = e.id
      WHERE CASE
              WHEN s.last_success = s.last_attempt THEN e.failing_since IS NOT NULL
              WHEN s.any_success THEN true
              ELSE e.failing_since IS NULL
            END
      ORDER BY e.id
      FOR NO KEY UPDATE OF e
    ), health AS (
      UPDATE endpoints e SET failing_since = t.failing_since, updated_at = now()
      FROM transitions t
      WHERE e.id = t.id
    )
    UPDATE deliveries d
    SET attempt_count = d.attempt_count + 1,
        last_attempt_at = c.created_at,
        last_status_code = c.status_code,
        first_attempt_at = COALESCE(d.first_attempt_at, c.created_at),
        scheduled_attempts = CASE WHEN c.moves THEN COALESCE(c.attempt_number, d.scheduled_attempts)
                                  ELSE d.scheduled_attempts END,
        status = CASE WHEN c.moves THEN c.status ELSE d.status END,
        next_attempt_at = CASE WHEN c.moves THEN c.next_attempt_at ELSE d.next_attempt_at END,
        -- No job holds a retry yet: the scheduler claims it when due.
        next_attempt_job = CASE WHEN c.moves AND c.status = 'pending' THEN NULL ELSE d.next_attempt_job END,
        -- A sent attempt ends any wait for the endpoint's breaker.
        held_since = CASE WHEN c.moves THEN NULL ELSE d.held_since END
    FROM current c
    WHERE d.id = c.id
    RETURNING d.id, c.moves AS moved`;
}

async function recordBatch(pool: Pool, records: StatementRecord[]): Promise<boolean[]> {
  const rows = await queryRows<{ id: string; moved: boolean }>(pool, recordStatement(records), "record-attempts");
  const moved = new Map(rows.map((row) => [row.id, row.moved]));
  return records.map((record) => moved.get(record.attempt.deliveryId) === true);
}

/** Whether an attempt is recorded by the batched statement alone: a scheduled one that neither fails its delivery nor disables its endpoint. */
export function isRoutine(decided: DecidedAttempt): boolean {
  const { decision } = decided;
  return decided.attemptNumber !== null && decision.outcome !== "failed" && !decision.disable;
}

/** Disables the endpoint unless it already is; true if this call did. */
async function disableEndpoint(tx: Tx, endpointId: string, reason: string, at: Date): Promise<boolean> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>(Prisma.sql`
    UPDATE endpoints SET disabled = true, disabled_at = ${at}, disabled_reason = ${reason}, updated_at = now()
    WHERE id = ${endpointId} AND NOT disabled
    RETURNING id`);
  return rows.length > 0;
}

/**
 * The record statement of the batched path, for one attempt, with what
 * the batched path leaves out: disabling the endpoint and the operational
 * events of a disable and of an exhausted delivery.
 */
export async function recordWithEvents(tx: Tx, decided: DecidedAttempt): Promise<Recorded> {
  const { attempt, decision, delivery } = decided;
  const [row] = await tx.$queryRaw<Array<{ id: string; moved: boolean }>>(
    recordStatement([{ attempt, attemptNumber: decided.attemptNumber, move: decision.move }]),
  );
  const moved = row?.moved === true;
  const operationalEvents: string[] = [];
  const { disable } = decision;
  const disabled =
    disable !== undefined && (await disableEndpoint(tx, delivery.endpointId, disable.reason, attempt.createdAt));
  if (disable && disabled) {
    operationalEvents.push(
      await recordOperationalEvent(tx, "endpoint.disabled", delivery.appId, {
        endpointId: delivery.endpointId,
        url: delivery.url,
        reason: disable.reason,
        disabledAt: attempt.createdAt.toISOString(),
      }),
    );
  }
  if (moved && decision.exhaustion) {
    operationalEvents.push(await recordExhausted(tx, delivery, attempt.deliveryId, decision.exhaustion));
  }
  return { moved, disabled, operationalEvents };
}

function recordExhausted(
  tx: Tx,
  delivery: Pick<LoadedDelivery, "appId" | "eventId" | "endpointId">,
  deliveryId: string,
  exhaustion: NonNullable<AttemptDecision["exhaustion"]>,
): Promise<string> {
  return recordOperationalEvent(tx, "delivery.exhausted", delivery.appId, {
    deliveryId,
    eventId: delivery.eventId,
    endpointId: delivery.endpointId,
    attempts: exhaustion.attempts,
    lastStatus: exhaustion.lastStatus,
  });
}

/** Fails a pending delivery that was never sent again, with its `delivery.exhausted` event. */
export async function expireDelivery(tx: Tx, expiry: Expiry): Promise<string[]> {
  const { delivery } = expiry;
  const rows = await tx.$queryRaw<Array<{ id: string }>>(Prisma.sql`
    UPDATE deliveries
    SET status = 'failed', next_attempt_at = NULL, next_attempt_job = NULL, failure_reason = ${expiry.failureReason}
    WHERE id = ${delivery.id} AND status = 'pending'
    RETURNING id`);
  if (rows.length === 0) return [];
  return [await recordExhausted(tx, delivery, delivery.id, expiry.exhaustion)];
}

/**
 * A delivery twice in one statement would have its counters updated once:
 * repeats (a duplicate job running alongside the original) go in a
 * following statement.
 */
export async function recordRoutines(pool: Pool, records: RoutineRecord[]): Promise<boolean[]> {
  const results: boolean[] = new Array<boolean>(records.length);
  let pending = records.map((record, index) => ({ record, index }));
  while (pending.length > 0) {
    const seen = new Set<string>();
    const now: typeof pending = [];
    const later: typeof pending = [];
    for (const entry of pending) {
      const id = entry.record.attempt.deliveryId;
      (seen.has(id) ? later : now).push(entry);
      seen.add(id);
    }
    const moved = await recordBatch(
      pool,
      now.map((entry) => fromRoutine(entry.record)),
    );
    now.forEach((entry, position) => (results[entry.index] = moved[position]!));
    pending = later;
  }
  return results;
}

/**
 * Only rows still pending move: one that settled meanwhile keeps its state.
 * Locked in id order, as the record statement locks them, so that the two
 * cannot deadlock. The job that held the attempt is released: a refusal
 * costs a row update, not a delayed job of its own.
 */
export async function postponeDeliveries(pool: Pool, deferrals: Deferral[]): Promise<void[]> {
  await queryRows(
    pool,
    Prisma.sql`
    WITH postponed AS (
      -- Each row looked up by its id, in id order: the LIMIT keeps the
      -- planner from turning the look-up around, and the status is checked
      -- outside it, or the planner may read the index of pending rows whole.
      SELECT d.id, i.delay_ms
      FROM (SELECT * FROM unnest(${deferrals.map((item) => item.deliveryId)}::text[],
                                 ${deferrals.map((item) => Math.max(0, Math.round(item.delayMs)))}::int[])
              AS i(id, delay_ms)
            ORDER BY id COLLATE "C") i
      CROSS JOIN LATERAL (
        SELECT id, status FROM deliveries WHERE id = i.id LIMIT 1 FOR NO KEY UPDATE
      ) d
      WHERE d.status = 'pending'
    )
    UPDATE deliveries d
    SET next_attempt_at = now() + make_interval(secs => p.delay_ms / 1000.0), next_attempt_job = NULL
    FROM postponed p
    WHERE d.id = p.id`,
    "postpone-deliveries",
  );
  return deferrals.map(() => undefined);
}

export async function wakeDeliveries(pool: Pool, postponed: Postponed[]): Promise<void[]> {
  await queryRows(
    pool,
    Prisma.sql`
    WITH woken AS (
      SELECT d.id
      FROM deliveries d
      JOIN unnest(${postponed.map((item) => item.deliveryId)}::text[],
                  ${postponed.map((item) => item.attempt)}::int[]) AS i(id, attempt)
        ON i.id = d.id
      WHERE d.status = 'pending' AND d.next_attempt_job IS NULL
        AND d.scheduled_attempts = i.attempt - 1 AND d.next_attempt_at > now() AND d.held_since IS NULL
      ORDER BY d.id
      FOR NO KEY UPDATE OF d
    )
    UPDATE deliveries d
    SET next_attempt_at = now()
    FROM woken w
    WHERE d.id = w.id`,
    "wake-deliveries",
  );
  return postponed.map(() => undefined);
}

/**
 * Locked in id order, as the record statement locks them. A row is held
 * only while its endpoint's breaker is still open: the closing of a breaker
 * releases the rows held before it (applyBreakerChanges), and one held
 * after it would otherwise wait for its deadline.
 */
export async function holdDeliveries(pool: Pool, held: Held[]): Promise<void[]> {
  await queryRows(
    pool,
    Prisma.sql`
    WITH held AS (
      SELECT d.id, i.until, e.probe_at IS NOT NULL AS open
      FROM deliveries d
      JOIN unnest(${held.map((item) => item.deliveryId)}::text[], ${held.map((item) => item.until)}::timestamptz[])
        AS i(id, until) ON i.id = d.id
      JOIN endpoints e ON e.id = d.endpoint_id
      WHERE d.status = 'pending'
      ORDER BY d.id
      FOR NO KEY UPDATE OF d
    )
    UPDATE deliveries d
    SET next_attempt_at = CASE WHEN h.open THEN h.until ELSE now() END,
        held_since = CASE WHEN h.open THEN COALESCE(d.held_since, now()) END,
        next_attempt_job = NULL
    FROM held h
    WHERE d.id = h.id`,
    "hold-deliveries",
  );
  return held.map(() => undefined);
}

/**
 * The store of the worker's attempts: batched statements on `pool` (the
 * hot-path pool), and transactions with operational events on `db`, the
 * process's Prisma client unless given.
 */
export function createAttemptStore(pool: Pool, db?: Db): AttemptStore {
  const transactions = () => db ?? getDb();
  const loads = createBatcher((ids: string[]) => loadDeliveries(pool, ids), BATCHING);
  const records = createBatcher((batch: RoutineRecord[]) => recordRoutines(pool, batch), RECORD_BATCHING);
  const postponements = createBatcher((batch: Deferral[]) => postponeDeliveries(pool, batch), BATCHING);
  const wakings = createBatcher((batch: Postponed[]) => wakeDeliveries(pool, batch), BATCHING);
  const holdings = createBatcher((batch: Held[]) => holdDeliveries(pool, batch), BATCHING);
  return {
    load: (id) => loads.submit(id),
    recordRoutine: (record) => records.submit(record),
    async record(decided) {
      const { attempt, attemptNumber, decision } = decided;
      if (attemptNumber === null || !isRoutine(decided)) {
        return transactions().$transaction((tx) => recordWithEvents(tx, decided));
      }
      const moved = await records.submit({
        attempt,
        attemptNumber,
        outcome: decision.outcome === "succeeded" ? "succeeded" : "retry",
        next: decision.next,
      });
      return { moved, disabled: false, operationalEvents: [] };
    },
    expire: (expiry) => transactions().$transaction((tx) => expireDelivery(tx, expiry)),
    async failForDisabledEndpoint(deliveryId) {
      await transactions().$executeRaw(Prisma.sql`
        UPDATE deliveries SET status = 'failed', next_attempt_at = NULL
        WHERE id = ${deliveryId} AND status = 'pending'`);
    },
    postpone: (deferral) => postponements.submit(deferral),
    wake: (postponed) => wakings.submit(postponed),
    hold: (item) => holdings.submit(item),
  };
}

/** Makes every delivery held for these endpoints due now (their breaker closed); the scheduler queues them with whatever else is due. */
export async function releaseHeldDeliveries(pool: Pool, endpointIds: string[]): Promise<void> {
  await queryRows(
    pool,
    Prisma.sql`
    WITH held AS (
      SELECT id FROM deliveries
      WHERE endpoint_id = ANY(${endpointIds}::text[]) AND status = 'pending' AND held_since IS NOT NULL
        AND next_attempt_job IS NULL
      ORDER BY id
      -- Not SKIP LOCKED: a row being held at this moment is waited for and
      -- released too, or it would wait for its deadline.
      FOR NO KEY UPDATE
    )
    UPDATE deliveries d SET next_attempt_at = now(), held_since = NULL
    FROM held WHERE d.id = held.id`,
  );
}

/**
 * Run every second by the worker. Makes one held delivery due for each
 * endpoint whose probe is due, so that an endpoint with nothing but held
 * deliveries is still probed; and makes due any delivery held for an
 * endpoint whose breaker is closed (one held in the instant its breaker
 * closed, which the closing did not see, or for a disabled endpoint, whose
 * deliveries then fail as due). Returns how many rows it moved.
 */
export async function tendHeldDeliveries(pool: Pool): Promise<number> {
  const rows = await queryRows(
    pool,
    Prisma.sql`
    WITH probes AS (
      SELECT (SELECT d.id FROM deliveries d
              WHERE d.endpoint_id = e.id AND d.status = 'pending' AND d.held_since IS NOT NULL
                AND d.next_attempt_job IS NULL AND d.next_attempt_at > now()
              -- The oldest first. A held delivery has reached a due attempt of
              -- its own schedule, so a probe never sends one sooner than its
              -- schedule would, and one whose probe failed waits for its next
              -- step before it can be the probe again.
              ORDER BY d.id LIMIT 1) AS id
      FROM endpoints e
      WHERE e.probe_at <= now()
    ), stranded AS (
      SELECT d.id FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
      WHERE d.status = 'pending' AND d.held_since IS NOT NULL AND d.next_attempt_job IS NULL
        AND (e.probe_at IS NULL OR e.disabled)
    ), due AS (
      SELECT id FROM probes WHERE id IS NOT NULL
      UNION
      SELECT id FROM stranded
    )
    UPDATE deliveries d
    SET next_attempt_at = now(),
        held_since = CASE WHEN d.id IN (SELECT id FROM stranded) THEN NULL ELSE d.held_since END
    FROM due WHERE d.id = due.id
    RETURNING d.id`,
    "tend-held-deliveries",
  );
  return rows.length;
}
