const SECRET_PREFIX = "whsec_";

/**
 * Turns "whsec_<base64>" (or bare base64) into the HMAC key. A malformed
 * secret is a configuration mistake, not a bad request, so it throws a
 * TypeError at once rather than a verification error on every delivery.
 */
export function decodeSecret(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  // Node's decoder skips characters outside the alphabet, so check first:
  // a truncated or mistyped secret would otherwise become a different key.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
    throw new TypeError(`Webhook secret is not "${SECRET_PREFIX}" followed by base64`);
  }
  const key = Buffer.from(encoded, "base64");
  if (key.length === 0) throw new TypeError("Webhook secret decodes to an empty key");
  return key;
}

/** Accepts one secret, an array, or a comma-separated list (as environment variables carry them). */
export function normalizeSecrets(secrets: string | readonly string[]): Buffer[] {
  const list = typeof secrets === "string" ? secrets.split(",") : secrets;
  const keys = list
    .map((secret) => secret.trim())
    .filter((secret) => secret !== "")
    .map(decodeSecret);
  if (keys.length === 0) throw new TypeError("At least one webhook secret is required");
  return keys;
}
