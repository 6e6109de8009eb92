// Environment configuration, validated once at boot by both processes so a
// bad variable stops the process with a message naming it.
import ms from "ms";
import { z } from "zod";
import { parseKeyring } from "../endpoints/secret-box";
import { parseRedisUrl } from "../queue/redis-url";

/** A duration such as "15s", "24h" or "500ms", in milliseconds. */
const duration = z.string().transform((value, ctx) => {
  const parsed = parseDuration(value);
  if (parsed === undefined) {
    ctx.addIssue({ code: "custom", message: `"${value}" is not a duration like 500ms, 15s, 1m or 24h` });
    return z.NEVER;
  }
  return parsed;
});

const booleanFlag = z.enum(["true", "false", "1", "0", ""]).transform((value) => value === "true" || value === "1");

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
    .default("postgresql://postgres@127.0.0.1:5432/hookpost"),
  /** One Redis (redis://host:port) or a cluster by some of its nodes (redis+cluster://host:port,host:port; lib/queue/redis-url.ts). */
  REDIS_URL: z
    .string()
    .regex(/^rediss?(\+cluster)?:\/\//, "must be a redis:// or redis+cluster:// URL")
    .superRefine((value, ctx) => {
      try {
        parseRedisUrl(value);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
      }
    })
    .default("redis://127.0.0.1:6379"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /**
   * Whether one reverse proxy in front of the web app appends the client's
   * address to X-Forwarded-For. Without one, the header is the client's
   * own word, so the server replaces it with the connection's address.
   */
  TRUST_PROXY: booleanFlag.default(false),
  /** Namespaces every BullMQ key, so several installations (or test runs) can share one Redis. */
  QUEUE_PREFIX: z
    .string()
    .min(1)
    .regex(/^[^{}]+$/, "must not contain { or } (the queue shards' hash tags are made from it)")
    .default("hookpost"),
  /**
   * How many queues the deliveries are spread over, each endpoint's in one
   * (lib/queue/shards.ts). Every process must use the same number. Default
   * 1 on one Redis, 3 on a cluster: at least the number of primaries.
   */
  QUEUE_SHARDS: z.coerce.number().int().min(1).max(256).optional(),
  /** The shards this worker consumes, e.g. "0,2"; all of them when unset. */
  WORKER_SHARDS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === "") return undefined;
      const shards = value.split(",").map((part) => part.trim());
      if (shards.some((part) => !/^\d+$/.test(part))) {
        ctx.addIssue({ code: "custom", message: `"${value}" must be comma-separated shard numbers like 0,2` });
        return z.NEVER;
      }
      return [...new Set(shards.map(Number))];
    }),
  /** The whole exchange with an endpoint: connect, send, headers and body. */
  DELIVERY_TIMEOUT: duration.default(ms("15s")),
  /** Replaces the whole retry schedule, e.g. "1s,2s,5s". */
  RETRY_SCHEDULE: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === "") return undefined;
      const delays = value.split(",").map((part) => parseDuration(part.trim()));
      if (delays.some((delay) => delay === undefined)) {
        ctx.addIssue({ code: "custom", message: `"${value}" must be comma-separated durations like 1s,2s,5s` });
        return z.NEVER;
      }
      return delays as number[];
    }),
  SECRET_ROTATION_OVERLAP: duration.default(ms("24h")),
  /** An endpoint whose attempts have all failed for this long is disabled. */
  ENDPOINT_DISABLE_AFTER: duration.default(ms("5d")),
  /** Where operational events (endpoint disabled, delivery exhausted) are posted; unset keeps them in the database only. */
  OPERATOR_WEBHOOK_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  /** Signs operational events (whsec_...); required with OPERATOR_WEBHOOK_URL. */
  OPERATOR_WEBHOOK_SECRET: z.string().startsWith("whsec_", "must be a whsec_ secret").optional(),
  /**
   * Keys sealing endpoint secrets at rest: "id:base64key[,id:base64key...]".
   * The first encrypts; all decrypt (key rotation). Required in production.
   */
  SECRETS_ENCRYPTION_KEYS: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      if (value === undefined) return;
      try {
        parseKeyring(value);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
      }
    }),
  /** The least wait before retrying an endpoint that timed out or answered 429. */
  OVERLOAD_MIN_DELAY: duration.default(ms("30s")),
  ALLOW_PRIVATE_ENDPOINTS: booleanFlag.default(false),
  /** Private ranges that endpoints may reach although private addresses are refused, e.g. "10.1.0.0/16". */
  ALLOWED_PRIVATE_CIDRS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((cidr) => cidr.trim())
        .filter(Boolean),
    ),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(50),
  /** Requests one worker process sends to a single endpoint at once. */
  ENDPOINT_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(10),
  /**
   * Failed attempts in a row after which an endpoint is only probed until
   * it answers 2xx, its other deliveries waiting unsent
   * (lib/sending/endpoint-breaker.ts); 0 never stops sending.
   */
  ENDPOINT_BREAKER_FAILURES: z.coerce.number().int().min(0).max(1_000_000).default(10),
  /**
   * How long a delivery its endpoint's breaker holds may wait, from its
   * first attempt (or its creation, if it was never sent), before it fails.
   */
  HELD_DELIVERY_DEADLINE: duration.default(ms("3d")),
  /**
   * How long a worker holds a job without renewing its lock; a worker that
   * died mid-attempt loses its job to another after about twice this.
   */
  JOB_LOCK_DURATION: duration.default(ms("30s")),
  /**
   * How long the delivery log (events, deliveries, attempts) is kept. The
   * worker drops whole days past it (lib/retention/), so it is at least a
   * day, and an idempotency key (24 h) never outlives its event.
   */
  RETENTION: duration.default(ms("30d")).refine((value) => value >= ms("1d"), {
    message: "must be at least 1d: the log is kept and dropped by whole days",
  }),
  /** How often the worker looks for due deliveries missing from the queue. */
  SWEEP_INTERVAL: duration.default(ms("5s")),
  /**
   * How often the worker queues the retries that have come due; a retry
   * starts at most this late. Short, so that each job is small: half a
   * second of a failing endpoint's retries at once overran its
   * concurrency cap, and what the cap refused came back as jobs of its own.
   */
  SCHEDULER_INTERVAL: duration.default(ms("100ms")),
  /** When set, /api/metrics and the worker's /metrics require `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** How many worker processes `npm start` runs beside the web process (scripts/start.ts). */
  WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** The worker's port for /metrics and /health/*; 0 picks a free port. `npm start`'s n-th worker adds n. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** Signs dashboard sessions (next-auth); required in production (npm start creates one in .hookpost/). */
  NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** The dashboard's public URL, used in sign-in redirects and portal links; else taken from the request. */
  NEXTAUTH_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  /** The first admin, created by `npm start` when no user exists yet. */
  ADMIN_EMAIL: z.email("must be an email address").optional(),
  ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
  /** How long a portal link may wait before its first use. */
  PORTAL_LINK_TTL: duration.default(ms("15m")),
  /** How long the portal session opened by a link lasts. */
  PORTAL_SESSION_TTL: duration.default(ms("1h")),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

type ParsedEnv = z.infer<typeof schema>;
export type Config = Omit<ParsedEnv, "QUEUE_SHARDS"> & { QUEUE_SHARDS: number };

/** Rules that span several variables. */
function crossCheck(config: Config): string[] {
  const problems: string[] = [];
  const outside = config.WORKER_SHARDS?.filter((shard) => shard >= config.QUEUE_SHARDS) ?? [];
  if (outside.length > 0) {
    problems.push(
      `  WORKER_SHARDS: ${outside.join(", ")} not below QUEUE_SHARDS (${config.QUEUE_SHARDS}); shards are numbered from 0`,
    );
  }
  if (config.NODE_ENV === "production" && !config.SECRETS_ENCRYPTION_KEYS) {
    problems.push("  SECRETS_ENCRYPTION_KEYS: required in production (npm start creates one in .hookpost/)");
  }
  if (config.NODE_ENV === "production" && !config.NEXTAUTH_SECRET) {
    problems.push("  NEXTAUTH_SECRET: required in production (npm start creates one in .hookpost/)");
  }
  if (config.OPERATOR_WEBHOOK_URL && !config.OPERATOR_WEBHOOK_SECRET) {
    problems.push("  OPERATOR_WEBHOOK_SECRET: required when OPERATOR_WEBHOOK_URL is set");
  }
  return problems;
}

export class ConfigError extends Error {}

export function parseDuration(value: string): number | undefined {
  // ms() accepts bare numbers as milliseconds; a unit is required here so
  // "15" is not silently read as 15 ms.
  if (!/^\d+(\.\d+)?\s*[a-z]+$/i.test(value)) return undefined;
  const parsed = ms(value as ms.StringValue);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid environment:\n${problems.join("\n")}`);
  }
  const cluster = parseRedisUrl(result.data.REDIS_URL).kind === "cluster";
  const config: Config = { ...result.data, QUEUE_SHARDS: result.data.QUEUE_SHARDS ?? (cluster ? 3 : 1) };
  const problems = crossCheck(config);
  if (problems.length > 0) throw new ConfigError(`Invalid environment:\n${problems.join("\n")}`);
  return config;
}

let cached: Config | undefined;

/** The process's configuration, parsed from process.env on first use. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/**
 * For a process's entry point: the configuration, or, when the environment
 * is invalid, the problem reported (naming each variable) and the process
 * ended before it starts anything.
 */
export function getConfigOrExit(report: (message: string) => void): Config {
  try {
    return getConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      report(error.message);
      process.exit(1);
    }
    throw error;
  }
}
