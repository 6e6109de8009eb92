// The client's types are generated from the API's OpenAPI document; the
// committed src/schema.ts must be what the document generates now, so the
// client cannot drift from the API (`npm run generate` in packages/client
// brings it up to date). The package also compiles as it is published.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { schemaSource } from "../scripts/schema-source";

const packageRoot = fileURLToPath(new URL("../", import.meta.url));

describe("generated types", () => {
  it("are what the API's OpenAPI document generates now", async () => {
    const committed = await readFile(join(packageRoot, "src/schema.ts"), "utf8");
    expect(committed, "src/schema.ts is stale: run `npm run generate` in packages/client").toBe(await schemaSource());
  });

  it("build with the package's own tsconfig", async () => {
    const out = await mkdtemp(join(tmpdir(), "hookpost-client-build-"));
    try {
      const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
      await promisify(execFile)(process.execPath, [
        tsc,
        "-p",
        join(packageRoot, "tsconfig.build.json"),
        "--outDir",
        out,
      ]);
      const built = (await import(join(out, "index.js"))) as Record<string, unknown>;
      expect(Object.keys(built).sort()).toEqual(["Hookpost", "HookpostConnectionError", "HookpostError"]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);
});
