// Time buckets for the dashboard's charts: a chart reads when it has a few
// dozen bars, not one per minute of six hours, so a window's minutes are
// merged into buckets of a round size.

export interface OutcomeBucket {
  /** Start of the bucket, ISO. */
  start: string;
  succeeded: number;
  failed: number;
}

/** Round bucket sizes, in minutes, smallest first. */
const BUCKET_MINUTES = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440] as const;

/** At most this many bars: each stays a few pixels wide on a 390 px phone. */
export const MAX_BARS = 48;

/** The smallest round bucket size that shows `windowMinutes` in at most `maxBars` bars. */
export function bucketMinutesFor(windowMinutes: number, maxBars = MAX_BARS): number {
  if (!(windowMinutes > 0) || !(maxBars >= 1)) throw new RangeError("the window and the bar count must be positive");
  return BUCKET_MINUTES.find((size) => Math.ceil(windowMinutes / size) <= maxBars) ?? BUCKET_MINUTES.at(-1)!;
}

/**
 * Sums consecutive buckets into buckets of `minutes`, aligned to the clock
 * (a 10-minute bucket starts at :00, :10...), in time order. The first and
 * last may cover less of the window than the others.
 */
export function mergeBuckets(buckets: OutcomeBucket[], minutes: number): OutcomeBucket[] {
  const size = minutes * 60_000;
  const merged = new Map<number, OutcomeBucket>();
  for (const bucket of buckets) {
    const start = Math.floor(new Date(bucket.start).getTime() / size) * size;
    const into = merged.get(start) ?? { start: new Date(start).toISOString(), succeeded: 0, failed: 0 };
    into.succeeded += bucket.succeeded;
    into.failed += bucket.failed;
    merged.set(start, into);
  }
  return [...merged.entries()].sort(([a], [b]) => a - b).map(([, bucket]) => bucket);
}

/** Succeeded / attempts of a bucket, 0..1; null for a bucket without attempts. */
export function successRate(bucket: OutcomeBucket): number | null {
  const attempts = bucket.succeeded + bucket.failed;
  return attempts === 0 ? null : bucket.succeeded / attempts;
}
