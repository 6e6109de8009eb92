// The worker's own HTTP port: Prometheus metrics and health checks, so the
// worker can be scraped and probed like the web process.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Db } from "../lib/platform/db";
import { metricsForScrape } from "../lib/deliveries/backlog";
import { checkReadiness } from "../lib/platform/health";
import type { Logger } from "../lib/platform/logger";
import type { RedisClient } from "../lib/queue/redis";
import { getMetrics, metricsAuthorized } from "../lib/platform/metrics";

export async function startStatusServer(options: {
  port: number;
  token: string | undefined;
  db: Db;
  redis: RedisClient;
  logger: Logger;
}): Promise<Server> {
  const { registry } = getMetrics();
  const server = createServer((req, res) => {
    const send = (status: number, body: string, type = "application/json") =>
      res.writeHead(status, { "content-type": type }).end(body);
    const route = async () => {
      const path = new URL(req.url ?? "/", "http://worker").pathname;
      if (path === "/health/live") return send(200, JSON.stringify({ status: "ok" }));
      if (path === "/health/ready") {
        const report = await checkReadiness(options.db, options.redis);
        return send(report.status === "ok" ? 200 : 503, JSON.stringify(report));
      }
      if (path === "/metrics") {
        if (!metricsAuthorized(req.headers.authorization, options.token)) {
          return send(
            401,
            JSON.stringify({ error: { code: "unauthorized", message: "Bearer METRICS_TOKEN required" } }),
          );
        }
        return send(200, await metricsForScrape(options.db, options.logger), registry.contentType);
      }
      send(
        404,
        JSON.stringify({ error: { code: "not_found", message: "try /metrics, /health/live or /health/ready" } }),
      );
    };
    route().catch((error: unknown) => {
      options.logger.error({ err: error }, "status server request failed");
      if (!res.headersSent) send(500, JSON.stringify({ error: { code: "internal_error", message: "internal error" } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "0.0.0.0", resolve);
  });
  options.logger.info({ port: (server.address() as AddressInfo).port }, "worker metrics and health listening");
  return server;
}
