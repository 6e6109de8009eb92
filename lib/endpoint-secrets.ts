// Sealing and opening endpoint signing secrets with the configured keys.
// Everything that stores or reads a secret goes through here.
import { getConfig } from "./config";
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

export function openSecret(stored: string): string {
  const opened = currentBox();
  if (opened) return opened.decrypt(stored);
  if (stored.startsWith("enc:"))
    throw new Error("an endpoint secret is encrypted but SECRETS_ENCRYPTION_KEYS is not set");
  return stored;
}

/** Whether a stored value needs re-sealing with the primary key (after a key rotation). */
export function needsResealing(stored: string): boolean {
  const opened = currentBox();
  return opened !== undefined && !opened.isCurrent(stored);
}
