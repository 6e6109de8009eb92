// `npm test`: the whole suite against the real services and the built app.
// Builds first (browser and integration tests drive `next start`), then
// hands any extra arguments to Vitest, e.g. `npm test -- tests/unit`.
import { spawn } from "node:child_process";
import { buildIfNeeded } from "./build-if-needed";
import { applyLocalDefaults } from "./env-defaults";
import { checkRedis, ensureDatabase, ServiceUnavailableError } from "./services";

async function main(): Promise<number> {
  applyLocalDefaults();
  const postgresUrl = process.env.TEST_POSTGRES_URL ?? process.env.DATABASE_URL!;
  await ensureDatabase(postgresUrl);
  await checkRedis(process.env.TEST_REDIS_URL ?? process.env.REDIS_URL!);
  await buildIfNeeded();
  return new Promise((resolve) => {
    const vitest = spawn("node_modules/.bin/vitest", ["run", ...process.argv.slice(2)], { stdio: "inherit" });
    vitest.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ServiceUnavailableError ? error.message : error);
    process.exit(1);
  },
);
