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

/**
 * Known keys, remembered for a short while: every API request is
 * authenticated, and a query per request is a large share of a small one.
 * Only hits are kept, so a new key works at once; a deleted key keeps
 * working for at most the TTL.
 */
const knownKeys = new LRUCache<string, string>({ max: 1000, ttl: 10_000 });

/** The key's id when `key` is a known API key, else undefined. */
export async function authenticateApiKey(db: Db, key: string): Promise<string | undefined> {
  if (!key.startsWith(KEY_PREFIX)) return undefined;
  const keyHash = hashKey(key);
  const cached = knownKeys.get(keyHash);
  if (cached) return cached;
  const found = await db.apiKey.findUnique({ where: { keyHash }, select: { id: true } });
  if (found) knownKeys.set(keyHash, found.id);
  return found?.id;
}
