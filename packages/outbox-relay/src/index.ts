export type { EventTransport, OutboxMessage, PublishResult } from './outbox-message.js';
export { createDaprTransport, type DaprTransportOptions } from './dapr-transport.js';
export { createDirectTransport, type DirectTransportOptions } from './direct-transport.js';
export { publishBatch, retryDelayMs, type BatchOutcome, type Lane } from './outbox-store.js';
export { createOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';
export {
  eventTransportEnvFields,
  createTransportFromEnv,
  OUTBOX_PUBLISHERS_DEFAULT,
  publishersProblem,
} from './transport-config.js';
export { RELAY_TRANSPORT_CHANNEL, startRelayFromEnv, type RelayEnv } from './start-relay.js';
export {
  prepareOutboxService,
  runOutboxService,
  type OutboxServiceEnv,
  type ShutdownStep,
} from './run-outbox-service.js';
export {
  outboxRetentionEnvFields,
  pruneOutboxBatch,
  startOutboxPruner,
  type OutboxRetention,
  type OutboxRetentionEnv,
} from './outbox-retention.js';
export {
  instrumentTransport,
  OUTBOX_DEPTH_COUNT_CAP,
  registerOutboxDepth,
} from './outbox-metrics.js';
export { traceTransport } from './outbox-tracing.js';
