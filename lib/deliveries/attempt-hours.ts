// Each endpoint's attempts per hour, for the endpoints overview's 24-hour
// figures and chart. Counting a day of attempts grows with the traffic (a
// busy endpoint makes hundreds of thousands a day); instead the worker's
// maintenance adds up each hour once it is over, and the overview reads
// those totals and counts only the attempts since. An attempt's hour is
// its id's: ids carry their time, so an hour is a range of ids, read
// along the indexes and within one day's partition.
import { Prisma } from "@prisma/client";
import type pg from "pg";
import type { Db } from "../platform/db";
import { idAt } from "../platform/ids";

export const HOUR_MS = 60 * 60 * 1000;
/**
 * An hour is added up this long after it ends: an attempt's id is made
 * when its request is sent and its row written after, on a worker whose
 * clock may be a little behind. An attempt written later into an hour
 * already added up is not counted.
 */
const SETTLE_MS = 10 * 60 * 1000;
/** Totals are kept this long; the overview shows 24 hours. */
const KEEP_MS = 48 * HOUR_MS;

const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
const hourStartId = (ms: number) => idAt("attempt", new Date(ms), "start");

export interface HourCount {
  endpointId: string;
  /** The hour's start. */
  hour: Date;
  succeeded: number;
  failed: number;
}

/**
 * Adds up every hour that has settled since the last run, one transaction
 * per hour (its totals and the new watermark together), and forgets totals
 * past KEEP_MS. Returns how many hours it added. The caller runs one at a
 * time (the maintenance's advisory lock).
 */
export async function rollUpAttemptHours(client: pg.PoolClient, now: Date): Promise<number> {
  const settled = floorHour(now.getTime() - SETTLE_MS);
  const { rows } = await client.query<{ through: Date }>("SELECT through FROM attempt_hours_rolled");
  // Hours older than the totals are kept need no adding up: nothing reads them.
  const oldest = floorHour(now.getTime() - KEEP_MS);
  let hour = Math.max(rows[0]?.through.getTime() ?? oldest, oldest);
  let added = 0;
  for (; hour < settled; hour += HOUR_MS, added++) {
    await client.query("BEGIN");
    try {
      await client.query(
        `INSERT INTO attempt_hours (endpoint_id, hour, succeeded, failed)
         SELECT endpoint_id, $1, count(*) FILTER (WHERE succeeded), count(*) FILTER (WHERE NOT succeeded)
         FROM attempts WHERE id >= $2 AND id < $3
         GROUP BY endpoint_id
         ON CONFLICT (endpoint_id, hour) DO UPDATE SET succeeded = excluded.succeeded, failed = excluded.failed`,
        [new Date(hour), hourStartId(hour), hourStartId(hour + HOUR_MS)],
      );
      await client.query(
        `INSERT INTO attempt_hours_rolled (id, through) VALUES (true, $1)
         ON CONFLICT (id) DO UPDATE SET through = excluded.through`,
        [new Date(hour + HOUR_MS)],
      );
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    }
  }
  await client.query("DELETE FROM attempt_hours WHERE hour < $1", [new Date(oldest)]);
  return added;
}

/**
 * One hour's attempts of each endpoint, a range of its (endpoint_id, id)
 * index: the cost follows these endpoints' own traffic, not the other
 * apps'. The bounds are constants, one statement branch per hour, so that
 * PostgreSQL reads only that day's partition and estimates the rows from
 * its statistics (taken from a list, they were a guess of millions, and
 * the statement's compilation alone took 1.2 s).
 */
function countHourSql(endpointIds: string[], range: { hour: number; from: string; to: string }): Prisma.Sql {
  return Prisma.sql`
    SELECT e.id AS endpoint_id, ${new Date(range.hour)}::timestamptz AS hour, c.succeeded, c.failed
    FROM unnest(${endpointIds}::text[]) AS e(id)
    CROSS JOIN LATERAL (
      SELECT count(*) FILTER (WHERE a.succeeded) AS succeeded, count(*) FILTER (WHERE NOT a.succeeded) AS failed
      FROM attempts a WHERE a.endpoint_id = e.id AND a.id >= ${range.from} AND a.id < ${range.to}
    ) c
    WHERE c.succeeded + c.failed > 0`;
}

/**
 * Each endpoint's attempts per hour from `since` to `now` (the first hour
 * counted from `since` on): the totals of the hours added up, and the
 * attempts of the others counted, each hour a range of ids per endpoint.
 * Hours without attempts are left out.
 */
export async function countAttemptHours(db: Db, endpointIds: string[], since: Date, now: Date): Promise<HourCount[]> {
  if (endpointIds.length === 0) return [];
  const [watermark] = await db.$queryRaw<Array<{ through: Date }>>`SELECT through FROM attempt_hours_rolled`;
  const through = watermark?.through.getTime() ?? 0;
  const rolled: number[] = [];
  const counted: Array<{ hour: number; from: string; to: string }> = [];
  for (let hour = floorHour(since.getTime()); hour <= now.getTime(); hour += HOUR_MS) {
    const whole = hour >= since.getTime();
    if (whole && hour + HOUR_MS <= through) rolled.push(hour);
    else counted.push({ hour, from: hourStartId(Math.max(hour, since.getTime())), to: hourStartId(hour + HOUR_MS) });
  }
  const [totals, counts] = await Promise.all([
    rolled.length === 0
      ? []
      : db.$queryRaw<Array<{ endpoint_id: string; hour: Date; succeeded: number; failed: number }>>`
          SELECT endpoint_id, hour, succeeded, failed FROM attempt_hours
          WHERE endpoint_id = ANY(${endpointIds}::text[]) AND hour = ANY(${rolled.map((hour) => new Date(hour))}::timestamptz[])`,
    counted.length === 0
      ? []
      : db.$queryRaw<Array<{ endpoint_id: string; hour: Date; succeeded: bigint; failed: bigint }>>(
          Prisma.join(
            counted.map((range) => countHourSql(endpointIds, range)),
            " UNION ALL ",
          ),
        ),
  ]);
  return [...totals, ...counts].map((row) => ({
    endpointId: row.endpoint_id,
    hour: row.hour,
    succeeded: Number(row.succeeded),
    failed: Number(row.failed),
  }));
}
