import { describe, expect, it } from "vitest";
import { idAt, newId } from "@/lib/ids";

describe("ids", () => {
  it("are prefixed and sort by creation", () => {
    const ids = Array.from({ length: 100 }, () => newId("attempt"));
    expect(ids.every((id) => /^atm_[0-9A-Z]{26}$/.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });

  it("turn a time into an id range", () => {
    const now = Date.now();
    const id = newId("attempt");
    expect(id >= idAt("attempt", new Date(now - 1000), "start")).toBe(true);
    expect(id < idAt("attempt", new Date(now + 1000), "start")).toBe(true);
  });
});
