import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { metricsForScrape } from "@/lib/delivery-backlog";
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
  const body = await metricsForScrape(getDb(), getWebRuntime().logger);
  return new Response(body, { headers: { "content-type": getMetrics().registry.contentType } });
}
