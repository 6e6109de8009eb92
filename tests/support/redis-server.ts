// A private redis-server for tests that stop and restart Redis, so the
// shared instance other test files use is never disturbed.
import { spawn, type ChildProcess } from "node:child_process";
import { Redis } from "ioredis";
import { freePort, waitFor } from "./services";

export interface PrivateRedis {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function privateRedis(extraArgs: string[] = []): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;

  const ping = async () => {
    const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    client.on("error", () => {
      // A refused connection is the answer being waited on.
    });
    try {
      await client.connect();
      return (await client.ping()) === "PONG";
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  };

  return {
    url,
    async start() {
      const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", ...extraArgs];
      server = spawn("redis-server", args, { stdio: "ignore" });
      server.on("error", (error) => {
        throw new Error(`redis-server could not start (is Redis installed?): ${error.message}`);
      });
      await waitFor("the private redis-server to answer", async () => ((await ping()) ? true : undefined));
    },
    async stop() {
      const current = server;
      if (!current || current.exitCode !== null) return;
      const exited = new Promise((resolve) => current.once("exit", resolve));
      current.kill("SIGKILL");
      await exited;
      server = undefined;
    },
  };
}

/** Runs one command on a Redis (FLUSHALL, CONFIG SET...) and disconnects. */
export async function redisCommand(url: string, command: string, ...args: string[]): Promise<unknown> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    return await client.call(command, ...args);
  } finally {
    client.disconnect();
  }
}
