// Prisma CLI configuration. The "js" engine with a driver adapter lets
// `prisma migrate deploy` run on the WebAssembly schema engine shipped in the
// npm package, so migrations need no native engine download.
import { PrismaPg } from "@prisma/adapter-pg";
import type { PrismaConfig } from "prisma";
import { LOCAL_DEFAULTS } from "./scripts/env-defaults";

// The schema reads DATABASE_URL; unset, the CLI would fall back to
// downloading a native engine. The local default keeps every command offline.
process.env.DATABASE_URL ||= LOCAL_DEFAULTS.DATABASE_URL;

export default {
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) return Promise.reject(new Error("DATABASE_URL is not set"));
    return Promise.resolve(new PrismaPg({ connectionString: url }));
  },
} satisfies PrismaConfig;
