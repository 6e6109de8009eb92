import { getConfig } from "@/lib/platform/config";
import { getDb } from "@/lib/platform/db";
import { metricsForScrape } from "@/lib/deliveries/backlog";
import { getMetrics, metricsAuthorized } from "@/lib/platform/metrics";
import { getWebRuntime } from "@/lib/platform/web-runtime";

export const dynamic = "force-dynamic";

export async function GET(req: Request): Promise<Response> {
  if (!metricsAuthorized(req.headers.get("authorization"), getConfig().METRICS_TOKEN)) {
    return Response.json(
      { error: { code: "unauthorized", message: "metrics need Authorization: Bearer <METRICS_TOKEN>" } },
      { status: 401 },
    );
  }
  const body = await metricsForScrape(getDb(), getWebRuntime().logger);
  return new Response(body, { headers: { "content-type": getMetrics().registry.contentType } });
}
