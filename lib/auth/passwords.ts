// Operator passwords: Argon2id (OWASP's first choice) from a prebuilt
// binary package, so no compiler or install script is needed.
import { hash, verify } from "@node-rs/argon2";

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch (error) {
    // A malformed stored hash is a data problem, not a wrong password: say so.
    throw new Error(`stored password hash could not be checked: ${(error as Error).message}`);
  }
}
