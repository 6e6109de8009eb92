import { describe, expect, it } from "vitest";
import { firstIdSince, idAt, newId } from "@/lib/platform/ids";

describe("ids", () => {
  it("are prefixed and sort by creation", () => {
    const ids = Array.from({ length: 100 }, () => newId("attempt"));
    expect(ids.every((id) => /^atm_[0-9A-Z]{26}$/.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });

  it("can be made at a given instant, earlier than the last one made", () => {
    newId("event");
    const at = new Date(Date.now() - 40 * 86_400_000);
    const id = newId("event", at);
    expect(id >= idAt("event", at, "start") && id <= idAt("event", at, "end")).toBe(true);
    expect(firstIdSince("attempt", id)).toBe(idAt("attempt", at, "start"));
  });

  it("turn a time into an id range", () => {
    const now = Date.now();
    const id = newId("attempt");
    expect(id >= idAt("attempt", new Date(now - 1000), "start")).toBe(true);
    expect(id < idAt("attempt", new Date(now + 1000), "start")).toBe(true);
  });
});

describe("newId randomness", () => {
  it("gives unique, time-ordered ids whose random part uses the whole alphabet", async () => {
    const ids: string[] = [];
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 500; i++) ids.push(newId("delivery"));
      // A new millisecond draws fresh randomness instead of incrementing.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    const randomChars = new Set(ids.flatMap((id) => [...id.slice(-16)]));
    expect(randomChars.size).toBe(32);
  });
});
