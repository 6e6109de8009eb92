// REDIS_URL names either one Redis (redis://, rediss://) or a Redis Cluster
// by some of its nodes: redis+cluster://[user:password@]host:port[,host:port...]
// (rediss+cluster:// for TLS). One variable for both, so that every process
// and script that is handed a Redis is handed a cluster the same way.

export type RedisTarget =
  | { kind: "single"; url: string }
  | {
      kind: "cluster";
      nodes: Array<{ host: string; port: number }>;
      username?: string;
      password?: string;
      tls: boolean;
    };

const CLUSTER_SCHEME = /^(rediss?)\+cluster:\/\/(.*)$/;

/** Reads REDIS_URL; throws an error saying what is wrong with a cluster URL. */
export function parseRedisUrl(url: string): RedisTarget {
  const cluster = CLUSTER_SCHEME.exec(url);
  if (!cluster) return { kind: "single", url };
  const [, scheme, rest = ""] = cluster;
  const at = rest.lastIndexOf("@");
  const credentials = at === -1 ? "" : rest.slice(0, at);
  const hosts = (at === -1 ? rest : rest.slice(at + 1)).replace(/\/$/, "");
  const nodes = hosts
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(part);
      const port = Number(match?.[2]);
      if (!match || port < 1 || port > 65535) throw new Error(`"${part}" is not a host:port`);
      return { host: match[1]!.replace(/^\[|\]$/g, ""), port };
    });
  if (nodes.length === 0) throw new Error("names no node: use redis+cluster://host:port[,host:port...]");
  const colon = credentials.indexOf(":");
  const username = colon === -1 ? credentials : credentials.slice(0, colon);
  const password = colon === -1 ? undefined : credentials.slice(colon + 1);
  return {
    kind: "cluster",
    nodes,
    ...(username ? { username: decodeURIComponent(username) } : {}),
    ...(password ? { password: decodeURIComponent(password) } : {}),
    tls: scheme === "rediss",
  };
}
