// Standard Webhooks signatures (https://www.standardwebhooks.com), made
// with Node's native HMAC: the reference library's SHA-256 is plain
// JavaScript, and signing every attempt with it cost the worker 3% of its
// CPU. The unit tests pin the output to the spec's reference vector and
// verify it with the reference library.
import { createHmac, randomBytes } from "node:crypto";

export const SECRET_PREFIX = "whsec_";

export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64");
}

/** A secret is `whsec_` + base64 of 24 to 64 random bytes. */
export function isValidSecret(secret: string): boolean {
  if (!secret.startsWith(SECRET_PREFIX)) return false;
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return false;
  const length = Buffer.from(encoded, "base64").length;
  return length >= 24 && length <= 64;
}

/**
 * The `webhook-signature` header value: one `v1,<base64>` per secret,
 * space-separated, so that during a rotation overlap either secret verifies.
 */
export function signatureHeader(secrets: string[], messageId: string, timestamp: Date, body: string): string {
  const signed = `${messageId}.${Math.floor(timestamp.getTime() / 1000)}.${body}`;
  return secrets.map((secret) => `v1,${sign(secret, signed)}`).join(" ");
}

/** HMAC-SHA256 keyed with the secret's bytes (the base64 after `whsec_`), in base64. */
function sign(secret: string, content: string): string {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, "base64");
  return createHmac("sha256", key).update(content).digest("base64");
}
