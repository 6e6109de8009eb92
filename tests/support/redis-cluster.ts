// A Redis Cluster of our own for tests and the benchmark: 3 primaries and 3
// replicas, each a redis-server child process on a free loopback port, made
// into a cluster by `redis-cli --cluster create`. A short node timeout makes
// a replica take over within a few seconds of its primary's death.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import calculateSlot from "cluster-key-slot";
import { freePort, waitFor } from "./services";

export interface ClusterNode {
  host: string;
  port: number;
}

export interface RedisCluster {
  /** REDIS_URL for Hookpost: redis+cluster://127.0.0.1:p1,...,127.0.0.1:p6 */
  url: string;
  nodes: ClusterNode[];
  /** The node that serves `slot` as primary now, as the cluster says. */
  primaryOf(slot: number): Promise<ClusterNode>;
  /**
   * SIGKILLs the primary of `slot` (of `key`'s slot, when given a string)
   * and returns it; with `waitForFailover`, resolves once a replica has
   * taken its slots and the cluster is whole again.
   */
  killPrimary(slotOrKey: number | string, options?: { waitForFailover?: boolean }): Promise<ClusterNode>;
  /** Kills every node and removes their files. */
  stop(): Promise<void>;
}

export interface RedisClusterOptions {
  /** cluster-node-timeout in ms: how long a silent primary is given before its replica takes over. */
  nodeTimeoutMs?: number;
}

function requireBinary(name: string): void {
  const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  if (found.status !== 0) {
    throw new Error(
      `${name} is not installed: the Redis Cluster tests start their own cluster from it ` +
        "(apt-get install redis-server; .ci/run does this).",
    );
  }
}

/** One command to one node, on a connection of its own. */
async function ask(node: ClusterNode, ...command: string[]): Promise<unknown> {
  const client = new Redis({ ...node, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => {
    // The rejected command says it.
  });
  try {
    await client.connect();
    return await client.call(command[0]!, ...command.slice(1));
  } finally {
    client.disconnect();
  }
}

/** Whether every node given says the cluster is ok (every slot served by a primary that answers). */
async function whole(nodes: ClusterNode[]): Promise<boolean> {
  for (const node of nodes) {
    if (!String(await ask(node, "CLUSTER", "INFO")).includes("cluster_state:ok")) return false;
  }
  return true;
}

export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  requireBinary("redis-server");
  requireBinary("redis-cli");
  const nodeTimeoutMs = options.nodeTimeoutMs ?? 1_000;
  const dir = mkdtempSync(join(tmpdir(), "hookpost-cluster-"));
  const nodes: ClusterNode[] = [];
  const processes = new Map<number, ChildProcess>();

  // Nodes must not outlive a test run that fails or is interrupted before stop().
  const killAll = () => {
    for (const child of processes.values()) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", killAll);

  const stop = async () => {
    process.off("exit", killAll);
    await Promise.all(
      [...processes.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGKILL");
          }),
      ),
    );
    processes.clear();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    for (let index = 0; index < 6; index++) {
      const port = await freePort();
      const nodeDir = join(dir, String(port));
      spawnSync("mkdir", ["-p", nodeDir]);
      const child = spawn(
        "redis-server",
        [
          "--port",
          String(port),
          "--bind",
          "127.0.0.1",
          "--cluster-enabled",
          "yes",
          "--cluster-config-file",
          join(nodeDir, "nodes.conf"),
          "--cluster-node-timeout",
          String(nodeTimeoutMs),
          "--save",
          "",
          "--appendonly",
          "no",
          "--dir",
          nodeDir,
          "--maxmemory-policy",
          "noeviction",
          // A replica takes over however long ago it last heard from its
          // primary: the test kills primaries moments after the cluster forms.
          "--cluster-replica-validity-factor",
          "0",
        ],
        { stdio: "ignore" },
      );
      child.on("error", (error) => {
        throw new Error(`redis-server could not start: ${error.message}`);
      });
      processes.set(port, child);
      nodes.push({ host: "127.0.0.1", port });
    }
    for (const node of nodes) {
      await waitFor(`redis-server on port ${node.port} to answer`, async () =>
        (await ask(node, "PING").catch(() => undefined)) === "PONG" ? true : undefined,
      );
    }
    const created = spawnSync(
      "redis-cli",
      [
        "--cluster",
        "create",
        ...nodes.map((node) => `${node.host}:${node.port}`),
        "--cluster-replicas",
        "1",
        "--cluster-yes",
      ],
      { encoding: "utf8" },
    );
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed:\n${created.stdout}${created.stderr}`);
    await waitFor("the cluster to be ok on every node", async () => ((await whole(nodes)) ? true : undefined), 30_000);
    await waitFor(
      "every replica to be in sync with its primary",
      async () => {
        for (const node of nodes) {
          const info = String(await ask(node, "INFO", "replication"));
          if (info.includes("role:slave") && !info.includes("master_link_status:up")) return undefined;
        }
        return true;
      },
      30_000,
    );
  } catch (error) {
    await stop();
    throw error;
  }

  const alive = () =>
    nodes.filter((node) => {
      const child = processes.get(node.port);
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    });

  const primaryOf = async (slot: number): Promise<ClusterNode> => {
    for (const node of alive()) {
      const ranges = (await ask(node, "CLUSTER", "SLOTS").catch(() => [])) as Array<
        [number, number, [string, number, ...unknown[]]]
      >;
      const range = ranges.find(([low, high]) => slot >= low && slot <= high);
      if (range) return { host: "127.0.0.1", port: range[2][1] };
    }
    throw new Error(`no live node knows who serves slot ${slot}`);
  };

  return {
    url: `redis+cluster://${nodes.map((node) => `${node.host}:${node.port}`).join(",")}`,
    nodes,
    primaryOf,
    async killPrimary(slotOrKey, killOptions = {}) {
      const slot = typeof slotOrKey === "number" ? slotOrKey : calculateSlot(slotOrKey);
      const primary = await primaryOf(slot);
      const child = processes.get(primary.port)!;
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      });
      if (killOptions.waitForFailover) {
        await waitFor(
          `a replica to take over slot ${slot} from port ${primary.port}`,
          async () => {
            const now = await primaryOf(slot);
            return now.port !== primary.port && (await whole(alive())) ? true : undefined;
          },
          30_000,
        );
      }
      return primary;
    },
    stop,
  };
}
