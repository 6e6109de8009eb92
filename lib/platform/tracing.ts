// OpenTelemetry tracing, off unless OTEL_EXPORTER_OTLP_ENDPOINT is set. One
// trace runs from the API request through the queue (the context travels in
// the job's data) to the outbound HTTP request; a producer's own trace
// context is stored with its event and passed on to consumers, tracing on or off.
import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanContext,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
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

/**
 * A producer's W3C trace context as stored with its event, for the
 * webhooks of that event to continue (docs in README.md, "What a consumer
 * receives").
 */
export interface StoredTrace {
  traceparent: string;
  tracestate?: string;
}

// Used directly rather than through the global propagator: with tracing
// off none is registered, and a producer's trace is still passed on then.
const w3c = new W3CTraceContextPropagator();

function spanContextOf(stored: StoredTrace): SpanContext | undefined {
  const carrier: Record<string, string> = { traceparent: stored.traceparent };
  if (stored.tracestate) carrier.tracestate = stored.tracestate;
  const spanContext = trace.getSpanContext(w3c.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter));
  return spanContext && isSpanContextValid(spanContext) ? spanContext : undefined;
}

function toStoredTrace(spanContext: SpanContext): StoredTrace {
  const carrier: Record<string, string> = {};
  w3c.inject(trace.setSpanContext(ROOT_CONTEXT, spanContext), carrier, defaultTextMapSetter);
  return { traceparent: carrier.traceparent!, ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}) };
}

/**
 * What to store with an event whose request carried `traceparent`: the
 * active span's context when it continues the producer's trace (tracing
 * on), else the producer's own context (tracing off: Hookpost has no span).
 * An absent or malformed `traceparent` gives undefined, as W3C asks.
 */
export function traceToStore(headers: {
  traceparent: string | null | undefined;
  tracestate: string | null | undefined;
}): StoredTrace | undefined {
  if (!headers.traceparent) return undefined;
  const producer = spanContextOf({ traceparent: headers.traceparent, tracestate: headers.tracestate ?? undefined });
  if (!producer) return undefined;
  const active = trace.getActiveSpan()?.spanContext();
  const own = active && isSpanContextValid(active) && active.traceId === producer.traceId ? active : producer;
  return toStoredTrace(own);
}

/**
 * Runs `send` in the `webhook.send` span. An event with a stored trace has
 * that span in the producer's trace (a retry's own trace is linked to it),
 * and `send` gets the headers that make the consumer's span its child:
 * `traceparent`, and `tracestate` when there is one. With tracing off they
 * carry the stored context itself, as Hookpost records no span. The trace
 * id is the one to keep in the attempt log, when the span has one.
 */
export function inSendSpan<T>(
  stored: StoredTrace | undefined,
  attributes: Attributes,
  send: (span: Span, propagated: Record<string, string>, traceId: string | undefined) => Promise<T>,
): Promise<T> {
  const parent = stored ? spanContextOf(stored) : undefined;
  const active = trace.getActiveSpan()?.spanContext();
  const activeValid = active !== undefined && isSpanContextValid(active);
  let parentContext = context.active();
  const links: Link[] = [];
  if (parent && (!activeValid || active.traceId !== parent.traceId)) {
    parentContext = trace.setSpanContext(context.active(), parent);
    if (activeValid) links.push({ context: active });
  }
  return tracer.startActiveSpan("webhook.send", { attributes, links }, parentContext, (span) => {
    const own = span.spanContext();
    const propagated: Record<string, string> = {};
    if (parent) w3c.inject(trace.setSpan(ROOT_CONTEXT, span), propagated, defaultTextMapSetter);
    return send(span, propagated, isSpanContextValid(own) ? own.traceId : undefined);
  });
}
