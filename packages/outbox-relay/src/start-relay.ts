import type { DatabaseConnection } from '@todo/db';
import type { Logger } from '@todo/service-runtime';
import { createOutboxRelay } from './outbox-relay.js';
import { createTransportFromEnv, type TransportEnv } from './transport-config.js';

export interface RelayEnv extends TransportEnv {
  OUTBOX_BATCH_SIZE: number;
  OUTBOX_POLL_INTERVAL_MS: number;
  OUTBOX_MAX_RETRY_DELAY_MS: number;
  OUTBOX_FAULT_KILL_AFTER_PUBLISH: 'true' | 'false';
}

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
}): Array<{ name: string; run: () => Promise<void> }> {
  const { env, logger } = options;
  const transport = createTransportFromEnv(env, options.source);
  if (!transport) {
    logger.warn('EVENT_TRANSPORT=off: events stay in the outbox, unpublished');
    return [];
  }
  const relay = createOutboxRelay({
    db: options.database.db,
    listenClient: options.database.client,
    producer: options.producer,
    transport,
    logger,
    batchSize: env.OUTBOX_BATCH_SIZE,
    pollIntervalMs: env.OUTBOX_POLL_INTERVAL_MS,
    maxRetryDelayMs: env.OUTBOX_MAX_RETRY_DELAY_MS,
    killAfterPublishForFaultTests: env.OUTBOX_FAULT_KILL_AFTER_PUBLISH === 'true',
  });
  void relay.start();
  return [{ name: 'outbox relay', run: () => relay.stop() }];
}
