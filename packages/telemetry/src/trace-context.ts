import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';

/** Spans of this repository's code: one tracer, named for the platform. */
export const tracer = () => trace.getTracer('todo-platform');

/**
 * The W3C `traceparent` of the active span, when tracing runs and a span is active: what an
 * outbox row keeps, so the event continues the span that wrote it (not only the request's caller).
 */
export function activeTraceparent(): string | undefined {
  const span = trace.getActiveSpan();
  return span ? traceparentOf(span) : undefined;
}

/** A span's W3C `traceparent`; undefined for a no-op span (tracing off). */
export function traceparentOf(span: Span): string | undefined {
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return undefined;
  const flags = spanContext.traceFlags.toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}

/** The context a `traceparent` continues (the root context for none, or an invalid one). */
export function contextOf(traceparent: string | null | undefined): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { traceparent });
}

export { context, trace, ROOT_CONTEXT };
export { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
