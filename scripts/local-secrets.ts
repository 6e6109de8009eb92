// Secrets a local installation needs but nobody should have to invent:
// generated once into .hookpost/ (git-ignored, readable by the owner only)
// and reused by every later start. Production sets them in the environment.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const DIRECTORY = ".hookpost";

/** Sets process.env[name] from the environment, else from .hookpost/<file>, creating it with `generate()`. */
export function ensureLocalSecret(name: string, file: string, generate: () => string): void {
  if (process.env[name]) return;
  const path = join(DIRECTORY, file);
  if (!existsSync(path)) {
    mkdirSync(DIRECTORY, { recursive: true, mode: 0o700 });
    writeFileSync(path, `${generate()}\n`, { mode: 0o600 });
    console.log(`Generated ${name} in ${path} (keep it: it is needed to read what it protects)`);
  }
  process.env[name] = readFileSync(path, "utf8").trim();
}

/** Sets process.env[name] from .hookpost/<file> when the environment lacks it and the file exists; never creates it. */
export function loadLocalSecret(name: string, file: string): void {
  const path = join(DIRECTORY, file);
  if (process.env[name] || !existsSync(path)) return;
  process.env[name] = readFileSync(path, "utf8").trim();
}
