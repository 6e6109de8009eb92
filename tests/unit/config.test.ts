import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "@/lib/platform/config";
import { parseRedisUrl } from "@/lib/queue/redis-url";

describe("parseConfig", () => {
  it("applies the documented defaults", () => {
    const config = parseConfig({});
    expect(config.DATABASE_URL).toBe("postgresql://postgres@127.0.0.1:5432/hookpost");
    expect(config.REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(config.PORT).toBe(3000);
    expect(config.DELIVERY_TIMEOUT).toBe(15_000);
    expect(config.SECRET_ROTATION_OVERLAP).toBe(24 * 3600 * 1000);
    expect(config.RETRY_SCHEDULE).toBeUndefined();
    expect(config.ALLOW_PRIVATE_ENDPOINTS).toBe(false);
    expect(config.RETENTION).toBe(30 * 24 * 3600 * 1000);
  });

  it("keeps the log at least a day: RETENTION under 1d is refused by name", () => {
    expect(parseConfig({ RETENTION: "1d" }).RETENTION).toBe(24 * 3600 * 1000);
    expect(() => parseConfig({ RETENTION: "12h" })).toThrow(/RETENTION: must be at least 1d/);
  });

  it("parses RETRY_SCHEDULE as durations", () => {
    expect(parseConfig({ RETRY_SCHEDULE: "1s,2s,5s" }).RETRY_SCHEDULE).toEqual([1000, 2000, 5000]);
  });

  it.each([
    ["DATABASE_URL", "mysql://x"],
    ["REDIS_URL", "localhost"],
    ["PORT", "70000"],
    ["DELIVERY_TIMEOUT", "15"],
    ["RETRY_SCHEDULE", "1s,soon"],
    ["ALLOW_PRIVATE_ENDPOINTS", "yes"],
    ["SECRETS_ENCRYPTION_KEYS", "k1:tooshort"],
    ["OPERATOR_WEBHOOK_URL", "ftp://ops.example"],
    ["REDIS_URL", "redis+cluster://"],
    ["REDIS_URL", "redis+cluster://10.0.0.1:7000,10.0.0.2"],
    ["QUEUE_SHARDS", "0"],
    ["QUEUE_PREFIX", "{hookpost}"],
    ["WORKER_SHARDS", "0,one"],
    ["RETENTION", "30"],
  ])("names the bad variable %s", (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(name);
  });
});

describe("Redis Cluster and queue shards", () => {
  it("reads a cluster from REDIS_URL, with 3 queue shards unless QUEUE_SHARDS says otherwise", () => {
    const url = "redis+cluster://user:p%40ss@10.0.0.1:7000,10.0.0.2:7001/";
    expect(parseConfig({ REDIS_URL: url }).QUEUE_SHARDS).toBe(3);
    expect(parseConfig({ REDIS_URL: url, QUEUE_SHARDS: "6" }).QUEUE_SHARDS).toBe(6);
    expect(parseConfig({}).QUEUE_SHARDS).toBe(1);
    expect(parseRedisUrl(url)).toEqual({
      kind: "cluster",
      nodes: [
        { host: "10.0.0.1", port: 7000 },
        { host: "10.0.0.2", port: 7001 },
      ],
      username: "user",
      password: "p@ss",
      tls: false,
    });
    expect(parseRedisUrl("redis://127.0.0.1:6379")).toEqual({ kind: "single", url: "redis://127.0.0.1:6379" });
  });

  it("refuses a worker shard that does not exist", () => {
    expect(() => parseConfig({ QUEUE_SHARDS: "2", WORKER_SHARDS: "1,2" })).toThrow(
      "WORKER_SHARDS: 2 not below QUEUE_SHARDS (2)",
    );
    expect(parseConfig({ QUEUE_SHARDS: "3", WORKER_SHARDS: "2, 0" }).WORKER_SHARDS).toEqual([2, 0]);
  });
});

describe("production requirements", () => {
  it("refuses to boot in production without SECRETS_ENCRYPTION_KEYS", () => {
    expect(() => parseConfig({ NODE_ENV: "production" })).toThrow("SECRETS_ENCRYPTION_KEYS");
  });

  it("needs a signing secret for the operator webhook", () => {
    expect(() => parseConfig({ OPERATOR_WEBHOOK_URL: "https://ops.example/hook" })).toThrow("OPERATOR_WEBHOOK_SECRET");
  });
});
