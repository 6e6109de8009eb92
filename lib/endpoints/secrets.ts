// Sealing and opening endpoint signing secrets with the configured keys.
// Everything that stores or reads a secret goes through here.
import { LRUCache } from "lru-cache";
import { getConfig } from "../platform/config";
import { createSecretBox, type SecretBox } from "./secret-box";

let box: SecretBox | undefined;
let boxKeys: string | undefined;

function currentBox(): SecretBox | undefined {
  const keys = getConfig().SECRETS_ENCRYPTION_KEYS;
  if (!keys) return undefined;
  if (!box || boxKeys !== keys) {
    box = createSecretBox(keys);
    boxKeys = keys;
  }
  return box;
}

/** The value to store. Without keys (development only; production refuses to boot) it is stored as is. */
export function sealSecret(secret: string): string {
  return currentBox()?.encrypt(secret) ?? secret;
}

/**
 * Secrets already opened, by their sealed form: the worker opens the same
 * endpoint's secret for every delivery, and AES-GCM with a fresh decipher
 * each time is a visible share of an attempt's cost. The process holds
 * these secrets in memory to sign with anyway; a new seal (rotation,
 * reseal) is a new key here.
 */
const opened = new LRUCache<string, string>({ max: 10_000 });

export function openSecret(stored: string): string {
  const sealer = currentBox();
  if (sealer) {
    const cached = opened.get(stored);
    if (cached !== undefined) return cached;
    const secret = sealer.decrypt(stored);
    opened.set(stored, secret);
    return secret;
  }
  if (stored.startsWith("enc:"))
    throw new Error("an endpoint secret is encrypted but SECRETS_ENCRYPTION_KEYS is not set");
  return stored;
}

/** Whether a stored value needs re-sealing with the primary key (after a key rotation). */
export function needsResealing(stored: string): boolean {
  const opened = currentBox();
  return opened !== undefined && !opened.isCurrent(stored);
}
