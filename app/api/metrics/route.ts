import { getConfig } from "@/lib/config";
import { getMetrics, metricsAuthorized } from "@/lib/metrics";

export const dynamic = "force-dynamic";

export async function GET(req: Request): Promise<Response> {
  if (!metricsAuthorized(req.headers.get("authorization"), getConfig().METRICS_TOKEN)) {
    return Response.json(
      { error: { code: "unauthorized", message: "metrics need Authorization: Bearer <METRICS_TOKEN>" } },
      { status: 401 },
    );
  }
  const { registry } = getMetrics();
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } });
}
