// The web process's way into ingestEvents: concurrent API requests are
// written to PostgreSQL in shared batches (see lib/batching.ts), and each
// batch's first attempts go to Redis as one job. Each request is still
// answered only after its own event has committed, so batching changes the
// cost, not the guarantee.
import { createBatcher } from "./batching";
import type { Pool } from "./db";
import { ingestEvents, type IngestRequest, type IngestResult } from "./events";
import type { Logger } from "./logger";
import { firstAttemptsJobId } from "./queue/jobs";
import type { DeliveryProducer } from "./queue/producer";

export interface IngestionRequest extends IngestRequest {
  /** The request's trace context, carried into its delivery jobs. */
  trace: Record<string, string> | undefined;
}

export interface Ingestion {
  ingest(request: IngestionRequest): Promise<IngestResult>;
}

/**
 * One batch of up to 100 events writing at a time: what arrives meanwhile
 * waits for the next, so batches grow with load. Allowing 4 at once made
 * more, smaller batches and cost more per event (docs/performance.md).
 */
const BATCHING = { maxBatchSize: 100, maxInFlight: 1 };

export function createIngestion(pool: Pool, producer: DeliveryProducer, logger: Logger): Ingestion {
  const batcher = createBatcher<IngestionRequest, IngestResult>(async (requests) => {
    // Committed before anything is queued: from here on the events cannot be lost.
    const jobId = firstAttemptsJobId();
    const results = await ingestEvents(pool, requests, { firstAttemptJob: jobId });
    const deliveries = results.flatMap((result, index) =>
      result.deliveryIds.map((deliveryId) => ({ deliveryId, trace: requests[index]!.trace })),
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
    return results;
  }, BATCHING);
  return { ingest: (request) => batcher.submit(request) };
}
