// `npm start` and `npm test` build the web app only when the sources
// changed since the last build, so a second start is fast. The process
// bundles take a fraction of a second and are made every time.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { bundleProcesses } from "./bundle";
import { generateClient, run } from "./services";

const SOURCE_DIRS = ["app", "components", "lib", "prisma"];
const SOURCE_FILES = [
  "next.config.js",
  "package.json",
  "package-lock.json",
  "instrumentation.ts",
  "instrumentation-client.ts",
];
const BUILD_MARKER = ".next/BUILD_ID";

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stat.mtimeMs);
}

export function buildIsStale(): boolean {
  if (!existsSync(BUILD_MARKER)) return true;
  const built = statSync(BUILD_MARKER).mtimeMs;
  return [...SOURCE_DIRS, ...SOURCE_FILES].some((path) => newestMtime(path) > built);
}

export async function buildIfNeeded(): Promise<void> {
  await generateClient();
  if (buildIsStale()) {
    console.log("Building the web app (next build)...");
    await run("node_modules/.bin/next", ["build"], { NEXT_TELEMETRY_DISABLED: "1" });
  }
  await bundleProcesses();
}
