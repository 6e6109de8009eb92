// Runs the real built web app and the real worker as child processes
// against a test database, a private queue prefix and (optionally) a
// private Redis, so that tests can kill and restart them.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { createApiKey } from "../../lib/auth/api-keys";
import { createUser } from "../../lib/auth/users";
import { generateKeyEntry } from "../../lib/endpoints/secret-box";
import { NODE_FLAGS, PROCESS_BUNDLES, WORKER_NODE_FLAGS } from "../../scripts/bundle";
import { createTestDatabase, freePort, REDIS_URL, uniqueName, waitFor, type TestDatabase } from "./services";

export interface HookpostOptions {
  env?: Record<string, string>;
  redisUrl?: string;
  /** A PostgreSQL server other than the shared one (the test database is created on it). */
  postgresUrl?: string;
}

export interface RunningHookpost {
  baseUrl: string;
  apiKey: string;
  db: PrismaClient;
  databaseUrl: string;
  /** The key prefix of its queue in Redis, for a producer of the test's own. */
  queuePrefix: string;
  /** A dashboard user created for the test. */
  createUser(role: "admin" | "viewer"): Promise<{ email: string; password: string }>;
  /** Calls the API with the test's key; a JSON body is sent as such. */
  api(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  /** Waits until `count` of the app's deliveries have succeeded; `what` names the wait in a timeout. */
  waitForSucceeded(appId: string, count: number, what: string, timeoutMs?: number): Promise<void>;
  startWorker(): Promise<ChildProcess>;
  worker(): ChildProcess | undefined;
  stopWorker(signal?: NodeJS.Signals): Promise<void>;
  workerLogs(): string;
  /** What the web process has written so far (its log lines reach the pipe within 200 ms). */
  webLogs(): string;
  /** Another web process on the same database, Redis and queue, as a second replica would be. */
  startWeb(): Promise<{ baseUrl: string; stop(): Promise<void> }>;
  /** Another worker process on the same database, Redis and queue, stopped with the rest. */
  startExtraWorker(): Promise<{ logs(): string; stop(signal?: NodeJS.Signals): Promise<void> }>;
  /** Runs `npm run hookpost -- <args>` (scripts/cli.ts) against this instance. */
  cli(args: string[]): Promise<{ code: number | null; output: string }>;
  stop(): Promise<void>;
}

function spawnLogged(command: string, args: string[], env: NodeJS.ProcessEnv, logs: string[]): ChildProcess {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const collect = (chunk: Buffer) => {
    logs.push(chunk.toString());
    if (process.env.TEST_VERBOSE) process.stderr.write(chunk);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  return child;
}

/** The lines of a process's log at pino's error or fatal level. */
export function errorLines(logs: string): string[] {
  return logs.split("\n").filter((line) => /"level":(50|60)/.test(line));
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

export async function startHookpost(options: HookpostOptions = {}): Promise<RunningHookpost> {
  const database: TestDatabase = await createTestDatabase(options.postgresUrl);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: database.url,
    REDIS_URL: options.redisUrl ?? REDIS_URL,
    QUEUE_PREFIX: uniqueName("hookpost_test"),
    PORT: String(port),
    ALLOW_PRIVATE_ENDPOINTS: "true",
    LOG_LEVEL: "info",
    SWEEP_INTERVAL: "1s",
    JOB_LOCK_DURATION: "2s",
    OVERLOAD_MIN_DELAY: "1s",
    SECRETS_ENCRYPTION_KEYS: generateKeyEntry("test"),
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    NEXTAUTH_URL: baseUrl,
    // Several workers run at once in the suite: each takes any free port.
    WORKER_METRICS_PORT: "0",
    ...options.env,
  };
  const webLogs: string[] = [];
  const workerLogs: string[] = [];
  const spawnWeb = (webPort: number, logs: string[]) =>
    spawnLogged(
      process.execPath,
      [...NODE_FLAGS, PROCESS_BUNDLES.web, "--port", String(webPort), "--hostname", "127.0.0.1"],
      env,
      logs,
    );
  const web = spawnWeb(port, webLogs);
  let worker: ChildProcess | undefined;

  // Every process started here is stopped by stop(), even when a test forgets its own.
  const extraWebs: ChildProcess[] = [];
  const startWeb = async () => {
    const extraPort = await freePort();
    const logs: string[] = [];
    const extra = spawnWeb(extraPort, logs);
    extraWebs.push(extra);
    const extraUrl = `http://127.0.0.1:${extraPort}`;
    try {
      await waitFor("the second web process to answer", async () => {
        if (extra.exitCode !== null) throw new Error(`web exited: ${logs.join("")}`);
        return (await fetch(`${extraUrl}/api/health`)).status === 200 ? true : undefined;
      });
    } catch (error) {
      extra.kill("SIGKILL");
      throw error;
    }
    return {
      baseUrl: extraUrl,
      async stop() {
        extra.kill("SIGTERM");
        await exited(extra);
      },
    };
  };

  const cli = (args: string[]) =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const output: string[] = [];
      const child = spawnLogged(process.execPath, ["--import", "tsx", "scripts/cli.ts", ...args], env, output);
      child.on("exit", (code) => resolve({ code, output: output.join("") }));
    });

  const spawnWorker = async (logs: string[]) => {
    const started = spawnLogged(process.execPath, [...WORKER_NODE_FLAGS, PROCESS_BUNDLES.worker], env, logs);
    await waitFor("the worker to start", () => {
      if (started.exitCode !== null) throw new Error(`worker exited: ${logs.join("")}`);
      return logs.join("").includes("worker started") ? true : undefined;
    });
    return started;
  };
  const startWorker = async () => {
    worker = await spawnWorker(workerLogs);
    return worker;
  };
  const extraWorkers: ChildProcess[] = [];
  const startExtraWorker = async () => {
    const logs: string[] = [];
    const extra = await spawnWorker(logs);
    extraWorkers.push(extra);
    return {
      logs: () => logs.join(""),
      async stop(signal: NodeJS.Signals = "SIGTERM") {
        extra.kill(signal);
        await exited(extra);
      },
    };
  };

  try {
    await waitFor("the web app to answer", async () => {
      if (web.exitCode !== null) throw new Error(`web exited: ${webLogs.join("")}`);
      const response = await fetch(`${baseUrl}/api/health`);
      return response.status === 200 ? true : undefined;
    });
    await startWorker();
  } catch (error) {
    web.kill("SIGKILL");
    worker?.kill("SIGKILL");
    await database.drop();
    throw error;
  }

  const { key } = await createApiKey(database.db, "test");

  return {
    baseUrl,
    apiKey: key,
    db: database.db,
    databaseUrl: database.url,
    queuePrefix: env.QUEUE_PREFIX!,
    async createUser(role) {
      const email = `${role}-${randomBytes(4).toString("hex")}@example.test`;
      const password = randomBytes(12).toString("base64url");
      await createUser(database.db, { email, password, role });
      return { email, password };
    },
    api(path, init = {}) {
      return fetch(`${baseUrl}/api/v1${path}`, {
        method: init.method ?? (init.body === undefined ? "GET" : "POST"),
        headers: {
          authorization: `Bearer ${key}`,
          ...(init.body === undefined ? {} : { "content-type": "application/json" }),
          ...init.headers,
        },
        body:
          init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
      });
    },
    async waitForSucceeded(appId, count, what, timeoutMs) {
      await waitFor(
        what,
        async () =>
          (await database.db.delivery.count({ where: { appId, status: "succeeded" } })) === count ? true : undefined,
        timeoutMs,
      );
    },
    startWorker,
    worker: () => worker,
    async stopWorker(signal = "SIGTERM") {
      const current = worker;
      if (!current) return;
      current.kill(signal);
      await exited(current);
      worker = undefined;
    },
    workerLogs: () => workerLogs.join(""),
    webLogs: () => webLogs.join(""),
    startWeb,
    startExtraWorker,
    cli,
    async stop() {
      const children = [web, worker, ...extraWebs, ...extraWorkers].filter(
        (child): child is ChildProcess => child !== undefined,
      );
      for (const child of children) child.kill("SIGTERM");
      await Promise.all(children.map(exited));
      await database.drop();
    },
  };
}
