// Runs once when the Next.js server boots: a bad environment stops the web
// process here, with the variable named, instead of on the first request.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getConfig } = await import("./lib/platform/config");
  getConfig();
  const { initTracing } = await import("./lib/platform/tracing");
  initTracing("web");
}
