export { createMetricsRegistry } from './metrics-registry.js';
export {
  httpServerMetrics,
  httpServerTimer,
  type ServerRequestTimer,
  routeTemplateOf,
  HTTP_DURATION_BUCKETS,
  UNMATCHED_ROUTE,
} from './http-metrics.js';
export { serveMetrics, type MetricsServer } from './metrics-server.js';
export { observePoolUsage } from './pool-usage.js';
export { registered } from './registered.js';
export { Counter, Gauge, Histogram, Registry } from 'prom-client';
export {
  loadTracingSdk,
  startTracing,
  tracingRequested,
  OTLP_PROTOCOLS,
  type Tracing,
} from './tracing.js';
export {
  activeTraceparent,
  ROOT_CONTEXT,
  context,
  contextOf,
  SpanKind,
  SpanStatusCode,
  trace,
  traceparentOf,
  tracer,
  type Span,
} from './trace-context.js';
export { httpServerTracing, startServerSpan } from './http-tracing.js';
export { traceQueries } from './query-tracing.js';
export { withoutQueryParams } from './query-error-text.js';
