import { describe, expect, it } from "vitest";
import { createBatcher } from "@/lib/platform/batching";

/** A write that records its batches and finishes when the test says so. */
function controlledWrite() {
  const batches: number[][] = [];
  const finishers: Array<() => void> = [];
  const write = (items: number[]) => {
    batches.push(items);
    return new Promise<number[]>((resolve) => finishers.push(() => resolve(items.map((item) => item * 10))));
  };
  return { write, batches, finishNext: () => finishers.shift()?.() };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("createBatcher", () => {
  it("writes a call at once when idle, and groups the calls that arrive while a batch is in flight", async () => {
    const { write, batches, finishNext } = controlledWrite();
    const batcher = createBatcher(write, { maxBatchSize: 100, maxInFlight: 1 });
    const first = batcher.submit(1);
    await tick();
    expect(batches).toEqual([[1]]);
    const rest = [2, 3, 4].map((item) => batcher.submit(item));
    await tick();
    expect(batches).toEqual([[1]]);
    finishNext();
    expect(await first).toBe(10);
    await tick();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    finishNext();
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
  });

  it("writes the calls made in one turn of the event loop as one batch, microtasks included", async () => {
    const { write, batches, finishNext } = controlledWrite();
    const batcher = createBatcher(write, { maxBatchSize: 100, maxInFlight: 1 });
    // As a job's deliveries reach their load through a concurrency limiter:
    // each call a few promise steps after the one that started it.
    const viaPromises = (item: number, steps: number): Promise<number> =>
      steps === 0 ? batcher.submit(item) : Promise.resolve().then(() => viaPromises(item, steps - 1));
    const all = [batcher.submit(1), viaPromises(2, 1), viaPromises(3, 3), batcher.submit(4)];
    await tick();
    expect(batches).toEqual([[1, 4, 2, 3]]);
    finishNext();
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40]);
  });

  it("keeps batches within the size limit and at most maxInFlight writing at once", async () => {
    const { write, batches, finishNext } = controlledWrite();
    const batcher = createBatcher(write, { maxBatchSize: 2, maxInFlight: 2 });
    const all = [1, 2, 3, 4, 5, 6, 7].map((item) => batcher.submit(item));
    await tick();
    // Two full batches fill both slots; the rest wait for a free one.
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    for (let i = 0; i < 4; i++) {
      finishNext();
      await tick();
    }
    expect(batches).toEqual([[1, 2], [3, 4], [5, 6], [7]]);
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50, 60, 70]);
  });

  it("rejects every call of a failed batch with its error, and goes on with the next", async () => {
    let fail = true;
    const batcher = createBatcher(
      (items: number[]) => (fail ? Promise.reject(new Error("database down")) : Promise.resolve(items)),
      { maxBatchSize: 10, maxInFlight: 1 },
    );
    const failing = [batcher.submit(1), batcher.submit(2)];
    await expect(failing[0]).rejects.toThrow("database down");
    await expect(failing[1]).rejects.toThrow("database down");
    fail = false;
    expect(await batcher.submit(3)).toBe(3);
  });

  it("refuses a write that does not answer every item", async () => {
    const batcher = createBatcher((items: number[]) => Promise.resolve(items.slice(1)), {
      maxBatchSize: 10,
      maxInFlight: 1,
    });
    await expect(batcher.submit(1)).rejects.toThrow("returned 0 results for 1 items");
  });

  it("with lingerMs, writes a batch once its oldest call has waited that long, or once it is full", async () => {
    const { write, batches, finishNext } = controlledWrite();
    const batcher = createBatcher(write, { maxBatchSize: 3, maxInFlight: 1, lingerMs: 30 });
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const started = performance.now();
    const first = [batcher.submit(1), batcher.submit(2)];
    await tick();
    expect(batches).toEqual([]);
    await sleep(40);
    expect(batches).toEqual([[1, 2]]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    // These wait for the write in flight, which counts towards their 30 ms:
    // ended after 40 ms, it lets them go at once.
    const second = [batcher.submit(3), batcher.submit(4)];
    await sleep(40);
    finishNext();
    expect(await Promise.all(first)).toEqual([10, 20]);
    await tick();
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    // Ended at once, a write leaves the next calls the rest of their 30 ms.
    const third = batcher.submit(5);
    finishNext();
    expect(await Promise.all(second)).toEqual([30, 40]);
    await tick();
    expect(batches).toHaveLength(2);
    await sleep(40);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    finishNext();
    expect(await third).toBe(50);
    await tick();
    // A full batch goes at once.
    const full = [6, 7, 8].map((item) => batcher.submit(item));
    await tick();
    expect(batches).toEqual([[1, 2], [3, 4], [5], [6, 7, 8]]);
    finishNext();
    expect(await Promise.all(full)).toEqual([60, 70, 80]);
  });
});
