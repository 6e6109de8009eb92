// API keys for the operator's backend. The key is shown once; only its
// SHA-256 is stored, which is enough for a random 256-bit secret.
import { createHash, randomBytes } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { Db } from "./db";
import { newId } from "./ids";

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

/** How long a known key is remembered, so how long a deleted one keeps working. */
export const API_KEY_TTL_MS = 10_000;

/**
 * Known keys, remembered for a short while: every API request is
 * authenticated, and a query per request is a large share of a small one.
 * Only hits are kept, so a new key works at once; a deleted key keeps
 * working for at most the TTL. When a key's entry expires, the requests
 * that arrive while it is looked up again share that one lookup: with 50
 * requests in flight, each asking on its own took the pool to all its
 * connections, newly opened, every TTL.
 */
const knownKeys = new LRUCache<string, string, Db>({
  max: 1000,
  ttl: API_KEY_TTL_MS,
  // An unknown key resolves to undefined, which is not stored: misses are asked again.
  fetchMethod: async (keyHash, _stale, { context: db }) =>
    (await db.apiKey.findUnique({ where: { keyHash }, select: { id: true } }))?.id,
});

/** The key's id when `key` is a known API key, else undefined. */
export async function authenticateApiKey(db: Db, key: string): Promise<string | undefined> {
  if (!key.startsWith(KEY_PREFIX)) return undefined;
  return knownKeys.fetch(hashKey(key), { context: db });
}
