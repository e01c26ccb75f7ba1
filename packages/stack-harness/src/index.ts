/** The real system for end-to-end tests and benchmarks, and the tools to drive and inspect it. */
export * from './stack.js';
export * from './direct-stack.js';
export * from './web-stack.js';
export { APP_TOKEN } from './service-env.js';
export * from './service-process.js';
export * from './api-client.js';
export * from './fault-suite-eventually.js';
export * from './inspect.js';
export * from './reconcile.js';
export type { BulkSubscribeSettings } from './bulk-subscribe.js';
export type { AuditApp } from './audit-app.js';
export * from './prometheus.js';
export {
  startPrometheus,
  PROMETHEUS_BINARY,
  type RunningPrometheus,
  type PromqlSample,
  type ScrapeTarget,
} from '@todo/local-stack';
export {
  ensureJaeger,
  startJaeger,
  type JaegerSpan,
  type JaegerTrace,
  type RunningJaeger,
} from '@todo/local-stack';
