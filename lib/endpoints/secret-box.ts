// Encryption at rest for endpoint signing secrets: AES-256-GCM under keys
// from SECRETS_ENCRYPTION_KEYS ("id:base64key,..."; the first encrypts, all
// decrypt). A database dump alone does not reveal any secret.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const PREFIX = "enc:v1";

export interface SecretBox {
  encrypt(plaintext: string): string;
  decrypt(stored: string): string;
  /** Whether a stored value is already sealed with the current primary key. */
  isCurrent(stored: string): boolean;
}

export class SecretKeyError extends Error {}

export function parseKeyring(value: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const entry of value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [id, encoded] = entry.split(":");
    if (!id || !encoded || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
      throw new SecretKeyError(`"${entry.slice(0, 8)}..." must look like <id>:<base64 of 32 bytes>`);
    }
    const key = Buffer.from(encoded, "base64");
    if (key.length !== 32) throw new SecretKeyError(`key "${id}" must be 32 bytes of base64, got ${key.length}`);
    keys.set(id, key);
  }
  if (keys.size === 0) throw new SecretKeyError("no key given");
  return keys;
}

export function generateKeyEntry(id = `k${Date.now().toString(36)}`): string {
  return `${id}:${randomBytes(32).toString("base64")}`;
}

export function createSecretBox(keyring: string): SecretBox {
  const keys = parseKeyring(keyring);
  const [primaryId, primaryKey] = [...keys.entries()][0]!;
  return {
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", primaryKey, iv);
      const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
      return `${PREFIX}:${primaryId}:${iv.toString("base64")}:${sealed.toString("base64")}`;
    },
    decrypt(stored) {
      // A value stored before encryption was enabled is read as it is;
      // `npm run hookpost -- secrets reencrypt` seals it.
      if (!stored.startsWith(`${PREFIX}:`)) return stored;
      const [, , keyId, ivText, sealedText] = stored.split(":");
      const key = keyId ? keys.get(keyId) : undefined;
      if (!key || !ivText || !sealedText) {
        throw new SecretKeyError(`secret sealed with key "${keyId}", which is not in SECRETS_ENCRYPTION_KEYS`);
      }
      const sealed = Buffer.from(sealedText, "base64");
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(ivText, "base64"));
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]).toString(
        "utf8",
      );
    },
    isCurrent(stored) {
      return stored.startsWith(`${PREFIX}:${primaryId}:`);
    },
  };
}
