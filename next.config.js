/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages with native or WebAssembly parts are loaded by
  // Node at run time instead of being bundled.
  serverExternalPackages: [
    "@prisma/client",
    "@prisma/adapter-pg",
    "pg",
    "bullmq",
    "ioredis",
    "pino",
    "undici",
    "prom-client",
    "@opentelemetry/sdk-trace-node",
    "@opentelemetry/exporter-trace-otlp-http",
  ],
  poweredByHeader: false,
  // `npm run typecheck` checks the whole project (app, worker, tests) in CI;
  // the build need not repeat it, nor fail on a test file's types.
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
};

export default nextConfig;
