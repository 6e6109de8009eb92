// What PostgreSQL and Redis being unreachable look like to their real
// clients, and that each is recognised as "unavailable" (503, not 500).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { isUnavailable } from "@/lib/api/unavailable";
import { freePort } from "../support/services";

const clients: Array<{ close(): Promise<unknown> | void }> = [];
afterAll(async () => {
  for (const client of clients) await client.close();
});

async function errorOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

describe("isUnavailable", () => {
  it("recognises a PostgreSQL that does not answer, for model and raw queries alike", async () => {
    const port = await freePort();
    const db = new PrismaClient({
      adapter: new PrismaPg({ connectionString: `postgresql://postgres@127.0.0.1:${port}/none` }),
    });
    clients.push({ close: () => db.$disconnect() });
    expect(isUnavailable(await errorOf(() => db.apiKey.findUnique({ where: { keyHash: "x" } })))).toBe(true);
    expect(isUnavailable(await errorOf(() => db.$queryRaw`SELECT 1`))).toBe(true);
    expect(isUnavailable(await errorOf(() => db.$executeRaw`UPDATE events SET payload = payload`))).toBe(true);
  });

  it("recognises a Redis that does not answer", async () => {
    const port = await freePort();
    const redis = new Redis({
      port,
      host: "127.0.0.1",
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      lazyConnect: true,
    });
    redis.on("error", () => {}); // the failed connect is asserted below, not logged
    clients.push({ close: () => redis.disconnect() });
    expect(isUnavailable(await errorOf(() => redis.connect()))).toBe(true);
  });

  it("does not take a bug for an outage", () => {
    expect(isUnavailable(new TypeError("cannot read properties of undefined"))).toBe(false);
    expect(isUnavailable(Object.assign(new Error("Raw query failed"), { code: "P2010" }))).toBe(false);
  });
});
