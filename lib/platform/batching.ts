// Natural batching ("group commit"): a call made while a batch is being
// written waits for that write to end and then goes out with every other
// call that arrived meanwhile, in one batch. A busy system pays one round
// trip per batch instead of one per call.
//
// At a moderate rate fewer calls overlap, batches shrink, and each pays the
// whole per-batch cost (a statement, the wake-ups of the processes it
// touches). `lingerMs` lets a batch wait for company until its oldest call
// is that old, as a Kafka producer's linger.ms does: free for writes no
// caller waits on. Without it an idle system writes at once: at the end of
// the current turn of the event loop (setImmediate, once every promise
// step of the turn has run), so that calls made together, such as the
// loads of one job's deliveries, share a batch.

export type WriteBatch<In, Out> = (items: In[]) => Promise<Out[]>;

export interface Batcher<In, Out> {
  submit(item: In): Promise<Out>;
}

interface Waiting<In, Out> {
  item: In;
  /** When the call was made (performance.now()). */
  since: number;
  resolve: (value: Out) => void;
  reject: (error: unknown) => void;
}

/**
 * `write` gets the items in the order they were submitted and returns one
 * result per item, in the same order; if it throws, every call of that batch
 * rejects with its error. At most `maxInFlight` batches of at most
 * `maxBatchSize` items are written at once. With `lingerMs`, a batch is
 * written once its oldest item has waited that long (or when it is full),
 * waiting for a write in flight included.
 */
export function createBatcher<In, Out>(
  write: WriteBatch<In, Out>,
  options: { maxBatchSize: number; maxInFlight: number; lingerMs?: number },
): Batcher<In, Out> {
  const waiting: Array<Waiting<In, Out>> = [];
  let inFlight = 0;
  let lingering: NodeJS.Timeout | undefined;
  let flushQueued = false;

  const flush = () => {
    if (inFlight >= options.maxInFlight || waiting.length === 0) return;
    // A batch goes once its oldest call has waited lingerMs, or when full.
    const wait = options.lingerMs ? waiting[0]!.since + options.lingerMs - performance.now() : 0;
    if (wait > 0 && waiting.length < options.maxBatchSize) {
      lingering ??= setTimeout(() => {
        lingering = undefined;
        flush();
      }, wait);
      return;
    }
    clearTimeout(lingering);
    lingering = undefined;
    while (inFlight < options.maxInFlight && waiting.length > 0) {
      const batch = waiting.splice(0, options.maxBatchSize);
      inFlight++;
      void writeOne(batch).finally(() => {
        inFlight--;
        flush();
      });
    }
  };

  const writeOne = async (batch: Array<Waiting<In, Out>>) => {
    try {
      const results = await write(batch.map((entry) => entry.item));
      if (results.length !== batch.length) {
        throw new Error(`a batch write returned ${results.length} results for ${batch.length} items`);
      }
      batch.forEach((entry, index) => entry.resolve(results[index]!));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  };

  return {
    submit(item) {
      return new Promise<Out>((resolve, reject) => {
        waiting.push({ item, since: performance.now(), resolve, reject });
        if (flushQueued) return;
        flushQueued = true;
        setImmediate(() => {
          flushQueued = false;
          flush();
        });
      });
    },
  };
}
