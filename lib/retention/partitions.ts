// The delivery log's day partitions: events, deliveries and attempts are
// partitioned by range of their id (a prefix and a ULID, whose first 10
// characters are the creation time), one partition per UTC day and table,
// named <table>_pYYYYMMDD. The SQL function that creates them,
// hookpost_create_partitions, is defined by the migration that made the
// layout (prisma/migrations/20261206000100_partitioned_log), so the
// migration and this module make the same partitions.
import type pg from "pg";
import { decodeTime } from "ulidx";

/** The partitioned tables, in the order their partitions of a day are dropped. */
export const LOG_TABLES = ["attempts", "deliveries", "events"] as const;
export type LogTable = (typeof LOG_TABLES)[number];

export const DAY_MS = 24 * 60 * 60 * 1000;

/** One UTC day of the log: its partition of each table, and the instants its ids span. */
export interface LogDay {
  /** YYYYMMDD, as in the partitions' names. */
  day: string;
  start: Date;
  end: Date;
  partitions: Record<LogTable, string>;
}

/** Midnight UTC of the day `at` falls in. */
export function startOfUtcDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

/** The date part PostgreSQL reads as a `date`. */
function isoDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * Creates the partitions of every day from the one `from` falls in to the
 * one `to` falls in that do not exist yet; returns how many it created.
 * Creating one takes a brief lock on its parent table.
 */
export async function createPartitions(pool: pg.Pool | pg.PoolClient, from: Date, to: Date): Promise<number> {
  const { rows } = await pool.query<{ created: number }>(
    "SELECT hookpost_create_partitions($1::date, $2::date) AS created",
    [isoDay(from), isoDay(to)],
  );
  return rows[0]!.created;
}

/** Days of partitions kept ready beyond today, so that a worker down for a while does not stop ingestion. */
export const DAYS_AHEAD = 7;

/**
 * The partitions of yesterday, today and the next DAYS_AHEAD days, where
 * missing. There is no default partition: a row whose day has no partition
 * is refused, so the worker's maintenance and every run of the migrations
 * call this. Yesterday too, for an id made just before midnight by a
 * machine whose clock is behind the database's.
 */
export async function ensurePartitionsAhead(pool: pg.Pool | pg.PoolClient, now = new Date()): Promise<number> {
  const today = startOfUtcDay(now);
  return createPartitions(pool, new Date(today.getTime() - DAY_MS), new Date(today.getTime() + DAYS_AHEAD * DAY_MS));
}

/** The time a partition bound such as 'atm_01M91R0800' stands for. */
function boundTime(bound: string): Date {
  const time = bound.slice(bound.indexOf("_") + 1);
  return new Date(decodeTime(time.padEnd(26, "0")));
}

/**
 * Every day that has partitions, oldest first, from the catalog: a day is
 * listed when all three tables have a partition for it (the SQL function
 * always makes the three together).
 */
export async function listLogDays(pool: pg.Pool | pg.PoolClient): Promise<LogDay[]> {
  const { rows } = await pool.query<{ parent: LogTable; name: string; bound: string }>(
    `SELECT parent.relname AS parent, child.relname AS name, pg_get_expr(child.relpartbound, child.oid) AS bound
     FROM pg_inherits
     JOIN pg_class parent ON parent.oid = pg_inherits.inhparent
     JOIN pg_class child ON child.oid = pg_inherits.inhrelid
     JOIN pg_namespace ns ON ns.oid = parent.relnamespace AND ns.nspname = current_schema()
     WHERE parent.relname = ANY($1) AND child.relname ~ '_p[0-9]{8}$'`,
    [LOG_TABLES],
  );
  const days = new Map<string, { start?: Date; end?: Date; partitions: Partial<Record<LogTable, string>> }>();
  for (const row of rows) {
    const day = row.name.slice(-8);
    const entry = days.get(day) ?? { partitions: {} };
    entry.partitions[row.parent] = row.name;
    const bounds = /FROM \('([^']+)'\) TO \('([^']+)'\)/.exec(row.bound);
    if (!bounds) throw new Error(`partition ${row.name} has bounds ${row.bound}, not a range of ids`);
    entry.start = boundTime(bounds[1]!);
    entry.end = boundTime(bounds[2]!);
    days.set(day, entry);
  }
  return [...days.entries()]
    .filter(([, entry]) => LOG_TABLES.every((table) => entry.partitions[table] !== undefined))
    .map(([day, entry]) => ({
      day,
      start: entry.start!,
      end: entry.end!,
      partitions: entry.partitions as Record<LogTable, string>,
    }))
    .sort((a, b) => a.start.getTime() - b.start.getTime());
}
