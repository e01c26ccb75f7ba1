import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { pruneBatchUnderLock, startPeriodicPruner, type Database } from '@todo/db';
import type { Logger } from '@todo/service-runtime';

const DAY = 86_400;

/**
 * How long a service keeps the outbox rows it published, and how it prunes them. Spread into
 * eventTransportEnvFields, so every service that runs a relay reads them.
 */
export const outboxRetentionEnvFields = {
  /**
   * Seconds a published row is kept after `published_at` (7 days). Nothing reads a published row
   * again (the relay claims unpublished ones only); the window is for an operator tracing an event.
   */
  OUTBOX_RETENTION_SECONDS: z.coerce
    .number()
    .int()
    .min(3600)
    .max(365 * DAY)
    .default(7 * DAY),
  /** Mean seconds between prunings (each wait drawn between half and one and a half of it). */
  OUTBOX_PRUNE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(DAY).default(300),
  /** Rows per DELETE: one short transaction each, however far behind pruning is. */
  OUTBOX_PRUNE_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(1000),
};

export interface OutboxRetentionEnv {
  OUTBOX_RETENTION_SECONDS: number;
  OUTBOX_PRUNE_INTERVAL_SECONDS: number;
  OUTBOX_PRUNE_BATCH_SIZE: number;
}

export interface OutboxRetention {
  producer: string;
  retentionSeconds: number;
}

/**
 * Deletes up to `batchSize` of `producer`'s rows published more than `retentionSeconds` ago,
 * oldest first (served by outbox_published_idx). Unpublished rows are never touched: the
 * condition is on `published_at`, which only the relay sets, after the transport confirmed the
 * event, and a row being published is not yet published to this statement. Null when another
 * replica of the service is pruning (pruning.ts).
 */
export function pruneOutboxBatch(
  db: Database,
  retention: OutboxRetention,
  batchSize: number,
): Promise<number | null> {
  return pruneBatchUnderLock(db, `outbox:${retention.producer}`, async (tx) => {
    const deleted = await tx.execute(sql`
      DELETE FROM outbox WHERE event_id IN (
        SELECT event_id FROM outbox
        WHERE producer = ${retention.producer}
          AND published_at IS NOT NULL
          AND published_at < now() - make_interval(secs => ${retention.retentionSeconds})
        ORDER BY published_at
        LIMIT ${batchSize})`);
    return deleted.count;
  });
}

/** Prunes this service's published outbox rows in the background until stopped. */
export function startOutboxPruner(options: {
  db: Database;
  producer: string;
  env: OutboxRetentionEnv;
  logger: Logger;
}) {
  const log = options.logger.child({ component: 'outbox-pruner', producer: options.producer });
  const retention = {
    producer: options.producer,
    retentionSeconds: options.env.OUTBOX_RETENTION_SECONDS,
  };
  return startPeriodicPruner({
    config: {
      intervalMs: options.env.OUTBOX_PRUNE_INTERVAL_SECONDS * 1000,
      batchSize: options.env.OUTBOX_PRUNE_BATCH_SIZE,
    },
    pruneBatch: (batchSize) => pruneOutboxBatch(options.db, retention, batchSize),
    onPruned: (rows) => log.info('published outbox rows pruned', { rows }),
    onError: (error) => log.warn('outbox pruning failed; retried next round', { err: error }),
  });
}
