import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * A registry of one service's metrics, with Node's runtime metrics in it (event loop lag and
 * utilisation, heap by space, GC pauses, CPU, resident memory, open handles: prom-client's
 * defaults, named `nodejs_*` and `process_*`). One per service, never prom-client's global
 * registry: tests build several apps in one process, and each must own its series.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
