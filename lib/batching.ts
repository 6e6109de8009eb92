// Natural batching ("group commit"): a call made while a batch is being
// written waits for that write to end and then goes out with every other
// call that arrived meanwhile, in one batch. An idle system writes each call
// at once, so batching adds no delay when there is no load; a busy one pays
// one round trip per batch instead of one per call.

export type WriteBatch<In, Out> = (items: In[]) => Promise<Out[]>;

export interface Batcher<In, Out> {
  submit(item: In): Promise<Out>;
}

interface Waiting<In, Out> {
  item: In;
  resolve: (value: Out) => void;
  reject: (error: unknown) => void;
}

/**
 * `write` gets the items in the order they were submitted and returns one
 * result per item, in the same order; if it throws, every call of that batch
 * rejects with its error. At most `maxInFlight` batches of at most
 * `maxBatchSize` items are written at once.
 */
export function createBatcher<In, Out>(
  write: WriteBatch<In, Out>,
  options: { maxBatchSize: number; maxInFlight: number },
): Batcher<In, Out> {
  const waiting: Array<Waiting<In, Out>> = [];
  let inFlight = 0;

  const flush = () => {
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
        waiting.push({ item, resolve, reject });
        flush();
      });
    },
  };
}
