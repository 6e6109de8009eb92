// Compiles the two long-running processes, the web server (server/main.ts)
// and the worker (worker/main.ts), to plain JavaScript in dist/. Run from
// source through tsx, each process also carried tsx's loader thread and
// compiled its modules at start: about 45 MB more memory per process.
// Packages stay external: Node loads them from node_modules as usual.
import { build } from "esbuild";

export const PROCESS_BUNDLES = { web: "dist/web.mjs", worker: "dist/worker.mjs" } as const;
/** Stack traces in logs name the TypeScript sources. */
export const NODE_FLAGS = ["--enable-source-maps"];
/**
 * The worker's live heap stays under 64 MB even with 50 attempts of 250 KiB
 * events in flight, but at thousands of deliveries a second V8 lets garbage
 * pile up to 150 MB and more before collecting it: RSS peaked near 290 MB.
 * A 128 MB old generation keeps it under 170 MB at the same throughput.
 */
export const WORKER_NODE_FLAGS = [...NODE_FLAGS, "--max-old-space-size=128"];

export async function bundleProcesses(): Promise<void> {
  await build({
    entryPoints: { web: "server/main.ts", worker: "worker/main.ts" },
    outdir: "dist",
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: "linked",
    logLevel: "warning",
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await bundleProcesses();
