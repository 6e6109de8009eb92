// The Prisma client, shared by every module that touches PostgreSQL.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { getConfig } from "./config";

const globalForDb = globalThis as unknown as { hookpostDb?: PrismaClient };

function createClient(): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: getConfig().DATABASE_URL }) });
}

/** Lazily created so that importing a module never opens a connection. */
export function getDb(): PrismaClient {
  // Kept on globalThis so Next.js dev reloads do not open a pool per reload.
  globalForDb.hookpostDb ??= createClient();
  return globalForDb.hookpostDb;
}

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
