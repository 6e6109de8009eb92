// The web process's way into ingestEvents: concurrent API requests are
// written to PostgreSQL in shared batches (see lib/platform/batching.ts), and each
// batch's first attempts go to Redis as one job. Each request is still
// answered only after its own event has committed, so batching changes the
// cost, not the guarantee; and one request PostgreSQL refuses fails alone.
import { createBatcher } from "../platform/batching";
import type { Pool } from "../platform/db";
import { EventsRefusedError, ingestEvents, type IngestRequest, type IngestResult } from "./events";
import type { Logger } from "../platform/logger";
import { firstAttemptsJobId } from "../queue/jobs";
import type { DeliveryProducer } from "../queue/producer";

export interface IngestionRequest extends IngestRequest {
  /** The request's trace context, carried into its delivery jobs. */
  trace: Record<string, string> | undefined;
}

export interface Ingestion {
  ingest(request: IngestionRequest): Promise<IngestResult>;
}

/**
 * One batch of up to 100 events writing at a time: what arrives meanwhile
 * waits for the next, so batches grow with load. Several at once would
 * make more, smaller batches, each paying a statement's fixed cost.
 */
const BATCHING = { maxBatchSize: 100, maxInFlight: 1 };

/** Each request's own outcome: a batch no longer succeeds or fails as a whole. */
type Outcome = { result: IngestResult } | { error: unknown };

/**
 * Writes the batch in one statement. If PostgreSQL refuses it for what one
 * of the requests holds, nothing of it committed: its halves are written
 * apart, and theirs, until the request at fault is alone and fails by
 * itself. One bad request among 100 costs about 14 statements; a valid
 * batch, still one. Any other failure (the database itself) fails them all,
 * since a statement whose outcome is unknown must not be written twice.
 */
export async function writeApart(
  pool: Pool,
  requests: IngestionRequest[],
  firstAttemptJob: string,
): Promise<Outcome[]> {
  try {
    return (await ingestEvents(pool, requests, { firstAttemptJob })).map((result) => ({ result }));
  } catch (error) {
    if (!(error instanceof EventsRefusedError)) throw error;
    if (requests.length === 1) return [{ error }];
    const half = Math.ceil(requests.length / 2);
    const first = await writeApart(pool, requests.slice(0, half), firstAttemptJob);
    return [...first, ...(await writeApart(pool, requests.slice(half), firstAttemptJob))];
  }
}

export function createIngestion(pool: Pool, producer: DeliveryProducer, logger: Logger): Ingestion {
  const batcher = createBatcher<IngestionRequest, Outcome>(async (requests) => {
    // Committed before anything is queued: from here on the events cannot be lost.
    const jobId = firstAttemptsJobId();
    const outcomes = await writeApart(pool, requests, jobId);
    const results = outcomes.flatMap((outcome) => ("result" in outcome ? [outcome.result] : []));
    const deliveries = outcomes.flatMap((outcome, index) =>
      "result" in outcome
        ? outcome.result.deliveryIds.map((deliveryId, position) => ({
            deliveryId,
            endpointId: outcome.result.endpointIds[position]!,
            trace: requests[index]!.trace,
          }))
        : [],
    );
    try {
      await producer.addFirstAttempts(jobId, deliveries);
    } catch (error) {
      // Accepted all the same: the sweeper enqueues committed deliveries.
      logger.warn(
        { err: error, eventIds: results.filter((result) => result.created).map((result) => result.event.id) },
        "enqueue failed; the sweeper will deliver",
      );
    }
    return outcomes;
  }, BATCHING);
  return {
    async ingest(request) {
      const outcome = await batcher.submit(request);
      if ("error" in outcome) throw outcome.error;
      return outcome.result;
    },
  };
}
