// The worker's maintenance of the delivery log: partitions created ahead of
// the days they will hold, whole days past RETENTION dropped (never rows
// deleted one by one), idempotency keys past their window removed, and the
// hours that have ended added up for the endpoints overview.
// Every worker runs it; a PostgreSQL advisory lock lets one at a time do
// the work, and the others skip that round.
import type pg from "pg";
import { IDEMPOTENCY_WINDOW_MS } from "../events/events";
import type { Logger } from "../platform/logger";
import { runPeriodically, type Periodic } from "../platform/periodic";
import { rollUpAttemptHours } from "../deliveries/attempt-hours";
import { ensurePartitionsAhead, listLogDays, LOG_TABLES, type LogDay } from "./partitions";

/** How often the worker runs the maintenance; the first run is at start. */
export const MAINTENANCE_INTERVAL_MS = 15 * 60 * 1000;

/** The advisory lock's key: "hookpost retention" in a 64-bit integer that no other lock here uses. */
const LOCK_KEY = "7237395040736023911";

/** How long a drop waits for the queries on the tables to let it in; it is tried again next run. */
const DROP_LOCK_TIMEOUT = "2s";

const KEY_PURGE_BATCH = 10_000;

export interface MaintenanceResult {
  /** False when another process held the lock and this run did nothing. */
  ran: boolean;
  created: number;
  /** The days dropped (YYYYMMDD), oldest first. */
  dropped: string[];
  /** The oldest day past retention that was kept because some of its deliveries are still pending. */
  keptPending?: { day: string; pending: number };
  keysRemoved: number;
  /** The hours of attempts added up (lib/deliveries/attempt-hours.ts). */
  hoursRolledUp: number;
}

export interface MaintenanceOptions {
  retentionMs: number;
  now?: Date;
}

/**
 * One run of the maintenance. Days are dropped oldest first, and only while
 * every delivery of the day is final (succeeded or failed): a day with a
 * delivery still pending, held or scheduled is kept, and so is every day
 * after it, until that delivery ends. An attempt is never older than its
 * delivery, so a dropped day takes no attempt of a delivery still kept
 * whose day came before.
 */
export async function runMaintenance(pool: pg.Pool, options: MaintenanceOptions): Promise<MaintenanceResult> {
  const now = options.now ?? new Date();
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [LOCK_KEY]);
    if (!rows[0]!.locked) return { ran: false, created: 0, dropped: [], keysRemoved: 0, hoursRolledUp: 0 };
    try {
      const created = await ensurePartitionsAhead(client, now);
      const { dropped, keptPending } = await dropExpiredDays(client, new Date(now.getTime() - options.retentionMs));
      const keysRemoved = await removeExpiredKeys(client, new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS));
      const hoursRolledUp = await rollUpAttemptHours(client, now);
      return { ran: true, created, dropped, keptPending, keysRemoved, hoursRolledUp };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

async function dropExpiredDays(
  client: pg.PoolClient,
  cutoff: Date,
): Promise<Pick<MaintenanceResult, "dropped" | "keptPending">> {
  const dropped: string[] = [];
  for (const day of await listLogDays(client)) {
    if (day.end.getTime() > cutoff.getTime()) break;
    const pending = await dropDay(client, day);
    if (pending > 0) return { dropped, keptPending: { day: day.day, pending } };
    dropped.push(day.day);
  }
  return { dropped };
}

/**
 * Drops one day's partitions of the three tables together, unless some of
 * its deliveries are pending: returns how many are (0 when dropped). The
 * check is repeated under the partitions' locks, so no delivery can turn
 * pending between the check and the drop.
 */
async function dropDay(client: pg.PoolClient, day: LogDay): Promise<number> {
  const deliveries = client.escapeIdentifier(day.partitions.deliveries);
  // The partial index of pending deliveries answers this without reading the day's rows.
  const countPending = `SELECT count(*)::int AS pending FROM ${deliveries} WHERE status = 'pending'`;
  const partitions = LOG_TABLES.map((table) => client.escapeIdentifier(day.partitions[table])).join(", ");
  await client.query("BEGIN");
  try {
    await client.query("SET LOCAL enable_seqscan = off");
    const before = await client.query<{ pending: number }>(countPending);
    if (before.rows[0]!.pending > 0) {
      await client.query("ROLLBACK");
      return before.rows[0]!.pending;
    }
    await client.query(`SET LOCAL lock_timeout = '${DROP_LOCK_TIMEOUT}'`);
    await client.query(`LOCK TABLE ${partitions} IN ACCESS EXCLUSIVE MODE`);
    const after = await client.query<{ pending: number }>(countPending);
    if (after.rows[0]!.pending > 0) {
      await client.query("ROLLBACK");
      return after.rows[0]!.pending;
    }
    await client.query(`DROP TABLE ${partitions}`);
    await client.query("COMMIT");
    return 0;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

/** Removes the idempotency keys past their window, a batch at a time so that no statement holds many row locks. */
async function removeExpiredKeys(client: pg.PoolClient, before: Date): Promise<number> {
  let removed = 0;
  for (;;) {
    const result = await client.query(
      `DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM idempotency_keys WHERE created_at < $1 LIMIT ${KEY_PURGE_BATCH}))`,
      [before],
    );
    removed += result.rowCount ?? 0;
    if ((result.rowCount ?? 0) < KEY_PURGE_BATCH) return removed;
  }
}

/** The worker's periodic maintenance; a failed run is logged and tried again next interval. */
export function startMaintenance(pool: pg.Pool, logger: Logger, retentionMs: number): Periodic {
  return runPeriodically(
    MAINTENANCE_INTERVAL_MS,
    async () => {
      const result = await runMaintenance(pool, { retentionMs });
      if (!result.ran) return;
      if (result.keptPending) {
        logger.warn(
          { day: result.keptPending.day, pending: result.keptPending.pending },
          "a day past retention is kept: some of its deliveries are still pending",
        );
      }
      if (result.created > 0 || result.dropped.length > 0 || result.keysRemoved > 0) {
        logger.info(
          { created: result.created, dropped: result.dropped, keysRemoved: result.keysRemoved },
          "log maintenance",
        );
      }
    },
    (error) => logger.warn({ err: error }, "log maintenance failed; retrying next interval"),
  );
}
