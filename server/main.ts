// The web process. Next.js serves the dashboard and the API, except
// `POST /api/v1/apps/:appId/events`: every event comes through that one
// route, and answering it here skips Next.js's per-request routing and
// rendering machinery, most of what a request through Next.js costs.
//
//   npm run web -- [--port 3000] [--hostname 127.0.0.1]
//
// Serves the production build (`next build`); `npm start` builds first and
// runs this file compiled to dist/web.mjs (scripts/bundle.ts).
import { createServer, type IncomingMessage } from "node:http";
import { once } from "node:events";
import { parseArgs } from "node:util";
import next from "next";
import { getConfigOrExit } from "../lib/platform/config";
import { closeDb, getHotPathPool } from "../lib/platform/db";
import { createIngestion } from "../lib/events/ingestion";
import { initTracing, shutdownTracing } from "../lib/platform/tracing";
import { getWebRuntime } from "../lib/platform/web-runtime";
import { CREATE_EVENT_ROUTE, createEventHandler, matchCreateEvent } from "./create-event";
import { setSecurityHeaders } from "./security-headers";
import { serveApiHandler } from "./web-adapter";

/** In-flight requests get this long to finish on SIGTERM before their connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

const { values: flags } = parseArgs({
  options: { port: { type: "string" }, hostname: { type: "string" } },
});
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

const config = getConfigOrExit((message) => console.error(message));
const port = flags.port ? Number(flags.port) : config.PORT;
initTracing("web");
// Made before Next.js loads, so that the objects Next.js's own copy of lib/
// finds on globalThis (pool, producer, metrics) are the ones used here too.
const runtime = getWebRuntime();
const createEvent = createEventHandler(createIngestion(getHotPathPool(), runtime.producer, runtime.logger));

const app = next({ dev: false, dir: process.cwd(), hostname: flags.hostname, port });
const handleWithNext = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  if (!config.TRUST_PROXY) useConnectionAddress(req);
  setSecurityHeaders(req, res, { publicUrl: config.NEXTAUTH_URL });
  const appId = matchCreateEvent(req.method, req.url);
  const handled =
    appId === undefined
      ? handleWithNext(req, res)
      : serveApiHandler(req, res, CREATE_EVENT_ROUTE, (request) =>
          createEvent(request, { params: Promise.resolve({ appId }) }),
        );
  handled.catch((error: unknown) => {
    runtime.logger.error({ err: error, method: req.method, url: req.url }, "request failed");
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { code: "internal_error", message: "internal error" } }));
  });
});
/**
 * The sign-in limit counts failures per client address, read from
 * X-Forwarded-For (lib/auth/login-limit.ts). With no proxy in front that
 * header comes from the client, who could name a new address for every
 * guess; it is replaced with the address the connection comes from.
 */
function useConnectionAddress(req: IncomingMessage) {
  req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "unknown";
  delete req.headers["x-real-ip"];
}

server.listen(port, flags.hostname);
await once(server, "listening");
runtime.logger.info({ port, hostname: flags.hostname ?? "all interfaces" }, "web started");

let shuttingDown = false;
async function shutdown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  runtime.logger.info({ signal }, "shutting down: finishing in-flight requests");
  // Every 202 already follows its commit; what is cut here was never acknowledged.
  const closed = once(server, "close");
  server.close();
  server.closeIdleConnections();
  const cut = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  await closed;
  clearTimeout(cut);
  await app.close();
  await runtime.producer.close();
  runtime.producer.connection.disconnect();
  runtime.subscriber.disconnect();
  await shutdownTracing();
  await closeDb();
  runtime.logger.info("web stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
