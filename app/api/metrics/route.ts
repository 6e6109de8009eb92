import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { refreshBacklogGauges } from "@/lib/delivery-backlog";
import { getMetrics, metricsAuthorized } from "@/lib/metrics";
import { getWebRuntime } from "@/lib/web-runtime";

export const dynamic = "force-dynamic";

export async function GET(req: Request): Promise<Response> {
  if (!metricsAuthorized(req.headers.get("authorization"), getConfig().METRICS_TOKEN)) {
    return Response.json(
      { error: { code: "unauthorized", message: "metrics need Authorization: Bearer <METRICS_TOKEN>" } },
      { status: 401 },
    );
  }
  await refreshBacklogGauges(getDb()).catch((error: unknown) =>
    // The rest of the metrics are still worth serving; the gauges keep their last reading.
    getWebRuntime().logger.warn({ err: error }, "could not read the delivery backlog for a scrape"),
  );
  const { registry } = getMetrics();
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } });
}
