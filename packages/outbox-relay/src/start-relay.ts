import { channel } from 'node:diagnostics_channel';
import type { DatabaseConnection } from '@todo/db';
import type { Logger } from '@todo/service-runtime';
import type { Registry } from '@todo/telemetry';
import type { EventTransport } from './outbox-message.js';
import { instrumentTransport } from './outbox-metrics.js';
import { traceTransport } from './outbox-tracing.js';
import { createOutboxRelay } from './outbox-relay.js';
import { createTransportFromEnv, type TransportEnv } from './transport-config.js';

export interface RelayEnv extends TransportEnv {
  OUTBOX_BATCH_SIZE: number;
  OUTBOX_PUBLISHERS: number;
  OUTBOX_POLL_INTERVAL_MS: number;
  OUTBOX_MAX_RETRY_DELAY_MS: number;
}

/**
 * The Node.js diagnostics channel on which a starting relay offers its transport as
 * `{ transport }`; a subscriber may replace it with a wrapper of it. Nothing subscribes in a
 * deployment. It lets a test reach the transport of a service running as its own process without
 * a seam in the service: the fault suite's preload (packages/e2e/faults) wraps it to die right
 * after a publish.
 */
export const RELAY_TRANSPORT_CHANNEL = 'todo:outbox-relay:transport';
const relayTransport = channel(RELAY_TRANSPORT_CHANNEL);

/**
 * Starts a service's outbox relay as its environment says, and returns the shutdown step that
 * stops it (none when EVENT_TRANSPORT=off).
 */
export function startRelayFromEnv(options: {
  env: RelayEnv;
  database: DatabaseConnection;
  /** The service's app id: it publishes the rows it produced. */
  producer: string;
  /** CloudEvent source of its events. */
  source: string;
  logger: Logger;
  /** The service's registry: publishes are timed and counted into it. */
  metrics?: Registry;
}): Array<{ name: string; run: () => Promise<void> }> {
  const { env, logger } = options;
  const created = createTransportFromEnv(env, options.source);
  if (!created) {
    logger.warn('EVENT_TRANSPORT=off: events stay in the outbox, unpublished');
    return [];
  }
  const offer: { transport: EventTransport } = { transport: created };
  relayTransport.publish(offer);
  const relay = createOutboxRelay({
    db: options.database.db,
    listenClient: options.database.client,
    producer: options.producer,
    transport: traceTransport(
      options.metrics ? instrumentTransport(offer.transport, options.metrics) : offer.transport,
    ),
    logger,
    batchSize: env.OUTBOX_BATCH_SIZE,
    publishers: env.OUTBOX_PUBLISHERS,
    pollIntervalMs: env.OUTBOX_POLL_INTERVAL_MS,
    maxRetryDelayMs: env.OUTBOX_MAX_RETRY_DELAY_MS,
  });
  void relay.start();
  return [{ name: 'outbox relay', run: () => relay.stop() }];
}
