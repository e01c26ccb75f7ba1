/** Building blocks the end-to-end harness shares with `pnpm dev` and `pnpm dev:dapr`. */
export { startKafka, type RunningKafka } from './kafka.js';
export { startSidecar, type RunningSidecar, type SidecarOptions } from './daprd.js';
export {
  renderDaprResources,
  renderDaprTracingConfig,
  DAPR_CONFIG_FILE,
  DAPR_RESOURCES_DIR,
} from './dapr-resources.js';
export { ensureDaprd, ensureJaeger, ensureKafkaLibs } from './tools.js';
export { startService, stopService, type ServiceSpec } from './processes.js';
export { REPO_ROOT, DATA_DIR } from './paths.js';
export * from './child-process.js';
export {
  startPrometheus,
  PROMETHEUS_BINARY,
  type RunningPrometheus,
  type PromqlSample,
  type ScrapeTarget,
} from './prometheus.js';
export { startJaeger, type JaegerSpan, type JaegerTrace, type RunningJaeger } from './jaeger.js';
