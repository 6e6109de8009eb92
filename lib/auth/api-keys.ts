// API keys for the operator's backend. The key is shown once; only its
// SHA-256 is stored, which is enough for a random 256-bit secret.
import { createHash, randomBytes } from "node:crypto";
import { Prisma } from "@prisma/client";
import { LRUCache } from "lru-cache";
import type { Db } from "../platform/db";
import { NotFoundError } from "../platform/errors";
import { newId } from "../platform/ids";
import type { Logger } from "../platform/logger";
import type { RedisClient } from "../queue/redis";
import type { Subscriber } from "../queue/subscriber";

const KEY_PREFIX = "hp_";

function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export async function createApiKey(db: Db, name: string): Promise<{ id: string; key: string }> {
  const key = KEY_PREFIX + randomBytes(32).toString("base64url");
  const id = newId("apiKey");
  await db.apiKey.create({ data: { id, name, keyHash: hashKey(key) } });
  return { id, key };
}

/** What `api-key list` shows of a key: never the key, nor its hash. */
export interface ApiKeySummary {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Every key, oldest first, revoked ones included. */
export function listApiKeys(db: Db): Promise<ApiKeySummary[]> {
  return db.apiKey.findMany({
    orderBy: { id: "asc" },
    select: { id: true, name: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

/**
 * How long a known key is remembered by a web process: the most a revoked
 * key can keep working there when the revocation message (below) does not
 * reach it, and how stale a key's "last used" time can be.
 */
export const API_KEY_TTL_MS = 10_000;

/** The Redis channel on which revocations reach every web process sharing `queuePrefix`. */
export function apiKeyRevocationChannel(queuePrefix: string): string {
  return `${queuePrefix}:api-keys:revoked`;
}

/**
 * Known keys, remembered for a short while: every API request is
 * authenticated, and a query per request is a large share of a small one.
 * Only hits are kept, so a new key works at once; a revoked key is dropped
 * from every process's memory by a message, else after at most the TTL.
 * When a key's entry expires, the requests that arrive while it is looked
 * up again share that one lookup: with 50 requests in flight, each asking
 * on its own would take the pool to all its connections, newly opened, every TTL.
 * The lookup also records the key's use, so "last used" costs one write
 * per key per TTL, not one per request.
 *
 * Kept on globalThis: the web process holds two copies of lib/ (Next.js's
 * bundle and server/main.ts's source), and a revocation must reach both.
 */
function knownKeys(): LRUCache<string, ApiKeyIdentity, Db> {
  const global = globalThis as unknown as { hookpostKnownApiKeys?: LRUCache<string, ApiKeyIdentity, Db> };
  global.hookpostKnownApiKeys ??= new LRUCache<string, ApiKeyIdentity, Db>({
    max: 1000,
    ttl: API_KEY_TTL_MS,
    // An unknown key resolves to undefined, which is not stored: misses are asked again.
    fetchMethod: async (keyHash, _stale, { context: db }) => {
      const [row] = await db.$queryRaw<ApiKeyIdentity[]>(Prisma.sql`
        UPDATE "api_keys" SET last_used_at = now()
        WHERE key_hash = ${keyHash} AND revoked_at IS NULL
        RETURNING id, name`);
      return row;
    },
  });
  return global.hookpostKnownApiKeys;
}

/** Who a key is, as its requests are recorded. */
export interface ApiKeyIdentity {
  id: string;
  name: string;
}

/** The key's id when `key` is a known API key that is not revoked, else undefined. */
export async function authenticateApiKey(db: Db, key: string): Promise<string | undefined> {
  return (await identifyApiKey(db, key))?.id;
}

/** The key's id and name when `key` is a known API key that is not revoked, else undefined. */
export async function identifyApiKey(db: Db, key: string): Promise<ApiKeyIdentity | undefined> {
  if (!key.startsWith(KEY_PREFIX)) return undefined;
  const status: LRUCache.Status<string, ApiKeyIdentity, Db> = {};
  try {
    return await knownKeys().fetch(hashKey(key), { context: db, status });
  } catch (error) {
    // Only a revocation deletes an entry, and deleting one aborts its
    // lookup in flight: the key is being revoked, so it is refused.
    if (status.fetchAborted) return undefined;
    throw error;
  }
}

/**
 * Revokes a key: refused at once by this process and, through the
 * message, by every web process listening (listenForApiKeyRevocations).
 * The database is changed first, so a process that misses the message
 * reads the revocation when its entry expires.
 */
export async function revokeApiKey(
  db: Db,
  publisher: RedisClient,
  queuePrefix: string,
  id: string,
): Promise<ApiKeySummary> {
  const key = await db.apiKey.findUnique({ where: { id } });
  if (!key) throw new NotFoundError(`API key ${id}`);
  const revoked = await db.apiKey.update({
    where: { id },
    data: { revokedAt: key.revokedAt ?? new Date() },
    select: { id: true, name: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
  knownKeys().delete(key.keyHash);
  await publisher.publish(apiKeyRevocationChannel(queuePrefix), key.keyHash);
  return revoked;
}

/**
 * Drops each key revoked anywhere from this process's memory, as its
 * message arrives on `subscriber`. A message published while the
 * subscriber is reconnecting is lost, and the TTL bounds how long that key
 * keeps working here.
 */
export async function listenForApiKeyRevocations(
  subscriber: Subscriber,
  queuePrefix: string,
  logger: Logger,
): Promise<void> {
  await subscriber.subscribe(apiKeyRevocationChannel(queuePrefix), (keyHash) => {
    knownKeys().delete(keyHash);
    logger.info("API key revoked: dropped from memory");
  });
}
