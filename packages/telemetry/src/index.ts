export { createMetricsRegistry } from './metrics-registry.js';
export {
  httpServerMetrics,
  routeTemplateOf,
  HTTP_DURATION_BUCKETS,
  UNMATCHED_ROUTE,
} from './http-metrics.js';
export { serveMetrics, type MetricsServer } from './metrics-server.js';
export { observePoolUsage } from './pool-usage.js';
export { registered } from './registered.js';
export { Counter, Gauge, Histogram, Registry } from 'prom-client';
