// Retrying requests: network failures, 429 and 5xx answers are tried again
// after a backoff with full jitter, or after what `Retry-After` asks. Each
// attempt sends the same request, so a send's Idempotency-Key is the same
// on every attempt and the API creates its event at most once.
import { HookpostConnectionError } from "./errors.js";

export interface RetryOptions {
  /** Attempts after the first; 0 turns retrying off. Default 4. */
  retries?: number;
  /** The backoff before the first retry, doubled for each next one (before jitter). Default 500 ms. */
  initialDelayMs?: number;
  /** No backoff is longer than this. Default 10 s. */
  maxDelayMs?: number;
  /** A `Retry-After` asking for longer than this is not waited for: the answer is returned. Default 60 s. */
  maxRetryAfterMs?: number;
}

type Fetch = (request: Request, init?: RequestInit) => Promise<Response>;

const RETRIED_STATUSES = new Set([429, 500, 502, 503, 504]);

/** `Retry-After` in milliseconds from now (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Full jitter: anywhere between 0 and the exponential backoff of this retry. */
export function backoffMs(retry: number, options: Required<RetryOptions>): number {
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** retry);
  return Math.random() * ceiling;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A fetch that retries `request` when `mayRetry` says it is safe to: a
 * request the server may have acted on is only repeated when repeating it
 * cannot do the act twice (an idempotent method, or an Idempotency-Key).
 */
export function retryingFetch(
  fetch: Fetch,
  options: RetryOptions = {},
  mayRetry: (request: Request) => boolean,
): Fetch {
  const settings: Required<RetryOptions> = {
    retries: options.retries ?? 4,
    initialDelayMs: options.initialDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 10_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
  };
  return async (request, init) => {
    const retries = mayRetry(request) ? settings.retries : 0;
    // The body is read once, so that every attempt can send it again.
    const body = request.body === null ? null : await request.arrayBuffer();
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= retries;
      let response: Response;
      try {
        response = await fetch(new Request(request, { body }), init);
      } catch (error) {
        if (request.signal.aborted) throw error;
        if (last) {
          throw new HookpostConnectionError(
            `${request.method} ${request.url} got no answer after ${attempt + 1} attempt(s): ${(error as Error).message}`,
            { cause: error },
          );
        }
        await sleep(backoffMs(attempt, settings));
        continue;
      }
      if (last || !RETRIED_STATUSES.has(response.status)) return response;
      const asked = retryAfterMs(response.headers.get("retry-after"));
      if (asked !== undefined && asked > settings.maxRetryAfterMs) return response;
      // The answer is not used: its body is released so the connection can be reused.
      await response.body?.cancel();
      await sleep(asked ?? backoffMs(attempt, settings));
    }
  };
}
