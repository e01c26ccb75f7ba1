import type { Metric, Registry } from 'prom-client';

/**
 * The metric named `name` in `registry`, created by `create` the first time. Registering a name
 * twice throws in prom-client; apps built twice over one registry (tests, a service that builds
 * its delivery for the route and for a re-drive) share one series instead.
 */
export function registered<T extends Metric>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}
