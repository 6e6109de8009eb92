import { getDb } from "@/lib/platform/db";
import { checkReadiness } from "@/lib/platform/health";
import { getWebRuntime } from "@/lib/platform/web-runtime";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const report = await checkReadiness(getDb(), getWebRuntime().producer.connection);
  return Response.json(report, { status: report.status === "ok" ? 200 : 503 });
}
