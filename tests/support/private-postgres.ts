// A throwaway PostgreSQL server of its own for tests that stop and restart
// the database, so the shared server other test files use is never touched.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitFor } from "./services";
import pg from "pg";

function postgresBin(name: string): string {
  const versions = readdirSync("/usr/lib/postgresql").sort();
  const latest = versions.at(-1);
  if (!latest) throw new Error("PostgreSQL server binaries not found under /usr/lib/postgresql");
  return join("/usr/lib/postgresql", latest, "bin", name);
}

/** initdb and postgres refuse to run as root: run them as the postgres user then. */
function asPostgres(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  return ["runuser", ["-u", "postgres", "--", command, ...args]];
}

export interface PrivatePostgres {
  url: string;
  start(): Promise<void>;
  /** An abrupt stop, as a crash or a failover would look to clients. */
  kill(): Promise<void>;
  destroy(): Promise<void>;
}

export async function privatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), "hookpost-pg-"));
  chmodSync(dir, 0o777);
  const dataDir = join(dir, "data");
  const port = await freePort();
  const [initdb, initArgs] = asPostgres(postgresBin("initdb"), [
    "-D",
    dataDir,
    "-U",
    "postgres",
    "--auth=trust",
    "-E",
    "UTF8",
  ]);
  execFileSync(initdb, initArgs, { stdio: "ignore" });
  let server: ChildProcess | undefined;
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;

  const answers = async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 500 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return true;
    } catch {
      return undefined;
    } finally {
      await client.end().catch(() => undefined);
    }
  };

  const kill = async () => {
    const current = server;
    if (!current || current.exitCode !== null) return;
    const exited = new Promise((resolve) => current.once("exit", resolve));
    // SIGQUIT is PostgreSQL's immediate shutdown: no checkpoint, clients cut off.
    execFileSync("pkill", ["-QUIT", "-f", `postgres -D ${dataDir}`]);
    await exited;
    server = undefined;
  };

  return {
    url,
    kill,
    async start() {
      const [command, args] = asPostgres(postgresBin("postgres"), [
        "-D",
        dataDir,
        "-p",
        String(port),
        "-k",
        dir,
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "fsync=off",
      ]);
      server = spawn(command, args, { stdio: "ignore" });
      await waitFor("the private PostgreSQL to answer", answers, 30_000);
    },
    async destroy() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
