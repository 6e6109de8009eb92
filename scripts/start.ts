// `npm start`: checks PostgreSQL and Redis, creates and migrates the
// database, builds if needed, then runs the web app and WORKERS workers
// side by side until one of them stops or the user presses Ctrl-C.
import { spawn, type ChildProcess } from "node:child_process";
import { buildIfNeeded } from "./build-if-needed";
import { NODE_FLAGS, PROCESS_BUNDLES, WORKER_NODE_FLAGS } from "./bundle";
import { applyLocalDefaults } from "./env-defaults";
import { ensureLocalSecret } from "./local-secrets";
import { randomBytes } from "node:crypto";
import { ensureFirstAdmin } from "../lib/auth/users";
import { getDb } from "../lib/platform/db";
import { generateKeyEntry } from "../lib/endpoints/secret-box";
import { checkRedis, ensureDatabase, migrate, ServiceUnavailableError } from "./services";
import { parseConfig, ConfigError } from "../lib/platform/config";

async function waitForHealthy(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return true;
    } catch {
      // Not listening yet; try again below.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

function startChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { env, stdio: "inherit" });
  child.on("error", (error) => console.error(`${name} could not start: ${error.message}`));
  return child;
}

async function main(): Promise<void> {
  applyLocalDefaults();
  ensureLocalSecret("SECRETS_ENCRYPTION_KEYS", "secrets-encryption-keys", generateKeyEntry);
  ensureLocalSecret("NEXTAUTH_SECRET", "nextauth-secret", () => randomBytes(32).toString("base64url"));
  process.env.NEXTAUTH_URL ||= `http://localhost:${process.env.PORT}`;
  const config = parseConfig({ ...process.env, NODE_ENV: "production" });
  await ensureDatabase(config.DATABASE_URL);
  await checkRedis(config.REDIS_URL);
  await migrate(config.DATABASE_URL, { quiet: true });
  const db = getDb();
  const firstAdmin = await ensureFirstAdmin(db, config.ADMIN_EMAIL, config.ADMIN_PASSWORD);
  await db.$disconnect();
  await buildIfNeeded();

  const env = { ...process.env, NODE_ENV: "production" as const };
  const children = [
    // Node itself runs each bundle, so signals reach the web server and the workers directly.
    startChild("web", process.execPath, [...NODE_FLAGS, PROCESS_BUNDLES.web, "--port", String(config.PORT)], env),
    ...Array.from({ length: config.WORKERS }, (_, n) =>
      startChild("worker", process.execPath, [...WORKER_NODE_FLAGS, PROCESS_BUNDLES.worker], {
        ...env,
        // Each worker serves its metrics on a port of its own (0 stays "any free port").
        WORKER_METRICS_PORT: String(config.WORKER_METRICS_PORT === 0 ? 0 : config.WORKER_METRICS_PORT + n),
      }),
    ),
  ];

  let stopping = false;
  const stopAll = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) child.kill(signal);
  };
  for (const child of children) {
    child.on("exit", (code) => {
      // One process without the other is not a working Hookpost.
      if (!stopping) {
        console.error(`A Hookpost process exited (code ${code}); stopping the others.`);
        process.exitCode = code ?? 1;
        stopAll("SIGTERM");
      }
    });
  }
  process.on("SIGINT", () => stopAll("SIGTERM"));
  process.on("SIGTERM", () => stopAll("SIGTERM"));

  const baseUrl = `http://localhost:${config.PORT}`;
  if (await waitForHealthy(`${baseUrl}/api/health`, 60_000)) {
    console.log(
      `\nHookpost is running: ${baseUrl} (one web process, ${config.WORKERS} worker${config.WORKERS === 1 ? "" : "s"})\n  API: ${baseUrl}/api/v1 (create a key with: npm run hookpost -- api-key create <name>)\n  Dashboard: ${baseUrl}/login\n`,
    );
    if (firstAdmin) {
      console.log(`Created the first admin, ${firstAdmin.email}.`);
      if (firstAdmin.generatedPassword) {
        console.log(
          `  Its password is shown only this once: ${firstAdmin.generatedPassword}\n  Sign in at ${baseUrl}/login (add users with: npm run hookpost -- user create --email E --password P --role admin|viewer)\n`,
        );
      }
    }
  } else if (!stopping) {
    console.error(`Hookpost did not become healthy at ${baseUrl}/api/health within 60 s.`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof ServiceUnavailableError || error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
