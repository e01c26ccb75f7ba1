import { pruneBatchUnderLock, startPeriodicPruner, type Database } from '@todo/db';
import type { Logger } from '@todo/service-runtime';
import { CONSUMER } from '../occurrences/create-next-occurrence.js';
import { createRetentionRepository } from './retention.repository.js';

export interface EngineRetentionConfig {
  /**
   * How long a processed event's record is kept (PROCESSED_EVENTS_RETENTION_SECONDS): longer
   * than any redelivery of it can arrive (README: "Retention"). Abandoned attempt counts go
   * after the same window.
   */
  retentionSeconds: number;
  intervalMs: number;
  batchSize: number;
}

const repo = createRetentionRepository();

/**
 * One batch of the engine's processed-event records older than the window, under the job's lock
 * (one replica at a time, @todo/db pruning.ts); null when another replica holds it.
 */
export function pruneProcessedEventsBatch(
  db: Database,
  retentionSeconds: number,
  batchSize: number,
): Promise<number | null> {
  return pruneBatchUnderLock(db, `processed_events:${CONSUMER}`, (tx) =>
    repo.pruneProcessedEvents(tx, CONSUMER, retentionSeconds, batchSize),
  );
}

/** One batch of attempt counts abandoned for longer than the window, likewise. */
export function pruneAbandonedAttemptsBatch(
  db: Database,
  retentionSeconds: number,
  batchSize: number,
): Promise<number | null> {
  return pruneBatchUnderLock(db, `delivery_attempts:${CONSUMER}`, (tx) =>
    repo.pruneAbandonedAttempts(tx, CONSUMER, retentionSeconds, batchSize),
  );
}

/** Prunes the engine's bookkeeping in the background until stopped. */
export function startEngineRetention(deps: {
  db: Database;
  logger: Logger;
  config: EngineRetentionConfig;
}) {
  const { db, config } = deps;
  const log = deps.logger.child({ component: 'engine-retention' });
  const schedule = { intervalMs: config.intervalMs, batchSize: config.batchSize };
  const onError = (error: unknown) =>
    log.warn('engine pruning failed; retried next round', { err: error });
  const processed = startPeriodicPruner({
    config: schedule,
    pruneBatch: (batchSize) => pruneProcessedEventsBatch(db, config.retentionSeconds, batchSize),
    onPruned: (rows) => log.info('processed events pruned', { rows }),
    onError,
  });
  const attempts = startPeriodicPruner({
    config: schedule,
    pruneBatch: (batchSize) => pruneAbandonedAttemptsBatch(db, config.retentionSeconds, batchSize),
    onPruned: (rows) => log.info('abandoned delivery attempts pruned', { rows }),
    onError,
  });
  return {
    /** One round of both now (tests, benchmarks). */
    async runOnce() {
      const [processedEvents, deliveryAttempts] = await Promise.all([
        processed.runOnce(),
        attempts.runOnce(),
      ]);
      return { processedEvents, deliveryAttempts };
    },
    async stop() {
      await Promise.all([processed.stop(), attempts.stop()]);
    },
  };
}

export type EngineRetention = ReturnType<typeof startEngineRetention>;
