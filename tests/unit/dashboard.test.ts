// Pure parts of the dashboard: its production settings, the endpoint log's
// URL state, and time ranges turned into id ranges.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/platform/config";
import { logFilterSchema, logFilterToSearch } from "../../lib/dashboard/log-filter";
import { replayFormSchema } from "../../lib/dashboard/schemas";
import { idAt } from "../../lib/platform/ids";
import { newId } from "../../lib/platform/ids";
import { generateKeyEntry } from "../../lib/endpoints/secret-box";
import { logRetentionNotice } from "../../lib/dashboard/log-retention";

describe("dashboard settings", () => {
  const production = { NODE_ENV: "production", SECRETS_ENCRYPTION_KEYS: generateKeyEntry("k1") };

  it("refuses to boot in production without NEXTAUTH_SECRET", () => {
    expect(() => parseConfig(production)).toThrow("NEXTAUTH_SECRET: required in production");
    expect(() => parseConfig({ ...production, NEXTAUTH_SECRET: "short" })).toThrow("NEXTAUTH_SECRET");
    const config = parseConfig({ ...production, NEXTAUTH_SECRET: "x".repeat(32) });
    expect(config.PORTAL_LINK_TTL).toBe(15 * 60_000);
    expect(config.PORTAL_SESSION_TTL).toBe(60 * 60_000);
  });

  it("checks the first admin's email and password", () => {
    expect(() => parseConfig({ ADMIN_EMAIL: "not-an-email" })).toThrow("ADMIN_EMAIL");
    expect(() => parseConfig({ ADMIN_PASSWORD: "short" })).toThrow("ADMIN_PASSWORD");
  });
});

describe("endpoint log URL state", () => {
  it("reads blanks as absent and refuses what it cannot use", () => {
    expect(logFilterSchema.parse({ status: "", code: "", limit: "" })).toEqual({ sort: "desc", limit: 25 });
    expect(logFilterSchema.parse({ code: "5xx" }).code).toBe("5xx");
    expect(logFilterSchema.parse({ code: "503" }).code).toBe("503");
    expect(logFilterSchema.safeParse({ code: "999" }).success).toBe(false);
    expect(logFilterSchema.safeParse({ status: "lost" }).success).toBe(false);
    expect(logFilterSchema.safeParse({ limit: "1000" }).success).toBe(false);
    expect(logFilterSchema.safeParse({ from: "yesterday" }).success).toBe(false);
  });

  it("writes a view back without its defaults", () => {
    expect(logFilterToSearch({ sort: "desc", limit: 25 })).toBe("");
    expect(logFilterToSearch({ status: "failed", sort: "asc", q: "a b" })).toBe("?status=failed&sort=asc&q=a+b");
  });
});

describe("time ranges as id ranges", () => {
  it("brackets every id created within the range", () => {
    const before = new Date(Date.now() - 1);
    const id = newId("delivery");
    const after = new Date(Date.now() + 1);
    expect(id >= idAt("delivery", before, "start")).toBe(true);
    expect(id <= idAt("delivery", after, "end")).toBe(true);
    expect(id > idAt("delivery", new Date(Date.now() + 10), "start")).toBe(false);
  });

  it("wants a replay range that ends after it starts", () => {
    const at = new Date().toISOString();
    expect(replayFormSchema.safeParse({ from: at, to: at }).success).toBe(false);
    expect(
      replayFormSchema.parse({ from: at, to: new Date(Date.now() + 1000).toISOString(), eventTypes: "a.b, c.d" })
        .eventTypes,
    ).toEqual(["a.b", "c.d"]);
  });
});

describe("the log's retention notice", () => {
  it("says how long deliveries are kept, from RETENTION", () => {
    expect(logRetentionNotice(30 * 86_400_000)).toMatch(/^Deliveries are kept for 30 days;/);
    expect(logRetentionNotice(86_400_000)).toMatch(/^Deliveries are kept for 1 day;/);
    expect(logRetentionNotice(36 * 3_600_000)).toMatch(/^Deliveries are kept for 36 hours;/);
  });
});
