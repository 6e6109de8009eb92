export const dynamic = "force-dynamic";

/** The process is up and serving requests; dependencies are /api/health/ready's concern. */
export function GET(): Response {
  return Response.json({ status: "ok" });
}
