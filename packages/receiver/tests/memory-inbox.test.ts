import { describe, expect, it } from "vitest";
import { createMemoryInbox } from "../src/index.js";
import { releaseTogether, shuffle } from "./support/concurrency.js";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("memory inbox", () => {
  it("runs the handler once per id for concurrent copies", async () => {
    const inbox = createMemoryInbox();
    const runs = new Map<string, number>();
    const ids = shuffle(
      Array.from({ length: 50 }, (_, i) => `msg_${i % 5}`),
      3,
    );
    const results = await releaseTogether(
      ids.map(
        (id) => () =>
          inbox.process({ id }, async (_tx, delivery) => {
            runs.set(delivery.id, (runs.get(delivery.id) ?? 0) + 1);
            await sleep(10);
          }),
      ),
    );
    expect([...runs.values()]).toEqual([1, 1, 1, 1, 1]);
    expect(results.filter((result) => result.status === "processed")).toHaveLength(5);
  });

  it("lets a waiting copy run the handler when the first one fails, and a later retry after that", async () => {
    const inbox = createMemoryInbox();
    let runs = 0;
    const handler = async (): Promise<number> => {
      runs += 1;
      await sleep(20);
      if (runs === 1) throw new Error("first attempt fails");
      return runs;
    };
    const [first, second] = await Promise.allSettled([
      inbox.process({ id: "msg_a" }, handler),
      inbox.process({ id: "msg_a" }, handler),
    ]);
    expect(first.status).toBe("rejected");
    expect(second).toEqual({ status: "fulfilled", value: { status: "processed", value: 2 } });
    expect(await inbox.process({ id: "msg_a" }, handler)).toEqual({ status: "duplicate" });
    expect(runs).toBe(2);
  });
});
