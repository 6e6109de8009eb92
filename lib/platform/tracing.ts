// OpenTelemetry tracing, off unless OTEL_EXPORTER_OTLP_ENDPOINT is set. One
// trace runs from the API request through the queue (the context travels in
// the job's data) to the outbound HTTP request.
import { context, propagation, trace, type Context } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, NodeTracerProvider } from "@opentelemetry/sdk-trace-node";

export const tracer = trace.getTracer("hookpost");

// On globalThis: the web process loads this module twice, once bundled by
// Next.js and once from source by server/main.ts, and one provider serves both.
const globalForTracing = globalThis as unknown as { hookpostTracerProvider?: NodeTracerProvider };

/** Registers the exporter once per process; the OTEL_* variables configure it. */
export function initTracing(service: "web" | "worker"): void {
  if (globalForTracing.hookpostTracerProvider || !process.env.OTEL_EXPORTER_OTLP_ENDPOINT) return;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": process.env.OTEL_SERVICE_NAME ?? `hookpost-${service}` }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  globalForTracing.hookpostTracerProvider = provider;
}

export async function shutdownTracing(): Promise<void> {
  await globalForTracing.hookpostTracerProvider?.shutdown();
}

/** The active trace context as W3C headers, to put in a job. */
export function currentTraceCarrier(): Record<string, string> | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length > 0 ? carrier : undefined;
}

export function contextFromCarrier(carrier: Record<string, string> | undefined): Context {
  return carrier ? propagation.extract(context.active(), carrier) : context.active();
}

/** The active trace id, for log lines. */
export function currentTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  return span?.spanContext().traceId;
}
