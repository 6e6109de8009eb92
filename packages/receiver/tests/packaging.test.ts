// The package as a consumer installs it: built with the package's own
// tsconfig.build.json, laid out under node_modules/@hookpost/receiver with
// its package.json, and loaded from separate Node processes. The build is
// ESM only, so a CommonJS consumer loads it through Node's require(esm), and
// `engines` must admit exactly the Node versions where that works unflagged.
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import semver from "semver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const packageRoot = fileURLToPath(new URL("../", import.meta.url));

interface Manifest {
  type?: string;
  main?: string;
  types?: string;
  exports: Record<string, string | Record<string, string>>;
  engines: { node: string };
}

const manifest = JSON.parse(await readFile(join(packageRoot, "package.json"), "utf8")) as Manifest;

let consumer: string;
let installed: string;

beforeAll(async () => {
  consumer = await mkdtemp(join(tmpdir(), "hookpost-receiver-consumer-"));
  installed = join(consumer, "node_modules", "@hookpost", "receiver");
  await mkdir(installed, { recursive: true });
  await copyFile(join(packageRoot, "package.json"), join(installed, "package.json"));
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  await run(process.execPath, [
    tsc,
    "-p",
    join(packageRoot, "tsconfig.build.json"),
    "--outDir",
    join(installed, "dist"),
  ]);
}, 60_000);

afterAll(async () => {
  if (consumer) await rm(consumer, { recursive: true, force: true });
});

/** Runs a consumer script in its own Node process and returns the export names it printed. */
async function exportNames(file: string, source: string): Promise<string[]> {
  await writeFile(join(consumer, file), source);
  const { stdout } = await run(process.execPath, [file], { cwd: consumer });
  return JSON.parse(stdout) as string[];
}

describe("packaging", () => {
  it("builds ES modules only, with one entry point that exports resolves for import and require alike", async () => {
    expect(manifest.type).toBe("module");
    expect(manifest.exports["."]).toEqual({ types: "./dist/index.d.ts", default: "./dist/index.js" });
    expect([manifest.main, manifest.types]).toEqual(["./dist/index.js", "./dist/index.d.ts"]);
    for (const target of ["dist/index.js", "dist/index.d.ts"]) {
      expect((await stat(join(installed, target))).isFile()).toBe(true);
    }
    const built = await readFile(join(installed, "dist", "index.js"), "utf8");
    expect(built).toMatch(/^export \{/m);
    expect(built).not.toMatch(/\brequire\(|module\.exports/);
  });

  it("loads with import from ESM and with require() from CommonJS", async () => {
    const imported = await exportNames(
      "consumer.mjs",
      'const receiver = await import("@hookpost/receiver");\n' +
        "console.log(JSON.stringify(Object.keys(receiver).sort()));\n",
    );
    const required = await exportNames(
      "consumer.cjs",
      'const receiver = require("@hookpost/receiver");\n' +
        "console.log(JSON.stringify(Object.keys(receiver).sort()));\n",
    );
    expect(imported).toEqual(expect.arrayContaining(["verify", "createFetchHandler", "createNodeHandler"]));
    expect(required).toEqual(imported);
  });

  // require(esm) without a flag arrived in Node 23.0.0 and was backported to
  // 22.12.0 and 20.19.0; 20.17-20.18 and 22.0-22.11 have it only behind
  // --experimental-require-module, and 21 never got it.
  it.each(["20.19.0", "20.20.2", "22.12.0", "23.0.0", "24.0.0", "25.2.1"])("engines admits Node %s", (version) => {
    expect(semver.satisfies(version, manifest.engines.node)).toBe(true);
  });

  it.each(["18.20.8", "20.0.0", "20.17.0", "20.18.3", "21.7.3", "22.0.0", "22.11.0"])(
    "engines refuses Node %s, where require() cannot load the package",
    (version) => {
      expect(semver.satisfies(version, manifest.engines.node)).toBe(false);
    },
  );

  it("engines admits the Node running these tests", () => {
    expect(semver.satisfies(process.versions.node, manifest.engines.node)).toBe(true);
  });
});
