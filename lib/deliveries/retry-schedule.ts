// When a failed delivery is tried again. Pure functions: the worker passes
// the clock and the random source so tests can pin them.
import ms from "ms";

/** Waits after each failure before the cap takes over: 10 s, 30 s, 1 m, 2 m. */
const DEFAULT_INITIAL_DELAYS = [ms("10s"), ms("30s"), ms("1m"), ms("2m")];
const DEFAULT_MAX_DELAY = ms("12h");
/** The default schedule stops retrying once this much time has passed since the first attempt. */
const DEFAULT_DEADLINE = ms("3d");
const JITTER = 0.2;
/** Bounds on a `Retry-After` we honour: no hammering, no week-long silence. */
export const RETRY_AFTER_MIN = ms("1s");
export const RETRY_AFTER_MAX = ms("1h");

export interface RetrySchedule {
  /** The un-jittered wait after the `failures`-th failure, or undefined when the schedule is exhausted. */
  baseDelay(failures: number): number | undefined;
  /** Past this age (ms since the first attempt) no attempt is scheduled. */
  deadline: number;
}

export function defaultSchedule(): RetrySchedule {
  return {
    baseDelay(failures) {
      if (failures < 1) return undefined;
      const initial = DEFAULT_INITIAL_DELAYS[failures - 1];
      if (initial !== undefined) return initial;
      const last = DEFAULT_INITIAL_DELAYS[DEFAULT_INITIAL_DELAYS.length - 1] ?? ms("2m");
      const doublings = failures - DEFAULT_INITIAL_DELAYS.length;
      return Math.min(last * 2 ** doublings, DEFAULT_MAX_DELAY);
    },
    deadline: DEFAULT_DEADLINE,
  };
}

/** An explicit list of waits (RETRY_SCHEDULE) replaces the whole default schedule. */
export function explicitSchedule(delays: number[]): RetrySchedule {
  return {
    baseDelay: (failures) => (failures >= 1 ? delays[failures - 1] : undefined),
    deadline: Number.POSITIVE_INFINITY,
  };
}

export function scheduleFromConfig(delays: number[] | undefined): RetrySchedule {
  return delays ? explicitSchedule(delays) : defaultSchedule();
}

/** Spreads retries uniformly over +-20% so failures at one moment do not retry in lockstep. */
export function jitter(delay: number, random: () => number = Math.random): number {
  return Math.round(delay * (1 - JITTER + 2 * JITTER * random()));
}

export interface NextAttemptInput {
  schedule: RetrySchedule;
  /** Failures of the schedule so far, including the one just recorded. */
  failures: number;
  firstAttemptAt: Date;
  now: Date;
  /** A `Retry-After` the endpoint sent, in ms. */
  retryAfter?: number;
  /** The endpoint showed overload (timeout, 429): wait at least this long. */
  minDelay?: number;
  random?: () => number;
}

/** When to try next, or undefined when the delivery has failed for good. */
export function nextAttemptAt(input: NextAttemptInput): Date | undefined {
  const base = input.schedule.baseDelay(input.failures);
  if (base === undefined) return undefined;
  const wanted =
    input.retryAfter !== undefined
      ? Math.min(Math.max(input.retryAfter, RETRY_AFTER_MIN), RETRY_AFTER_MAX)
      : jitter(base, input.random);
  const delay = Math.max(wanted, input.minDelay ?? 0);
  const at = new Date(input.now.getTime() + delay);
  if (at.getTime() - input.firstAttemptAt.getTime() > input.schedule.deadline) return undefined;
  return at;
}

/** Reads `Retry-After` (seconds or an HTTP date) into ms, if it is usable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now.getTime());
}
