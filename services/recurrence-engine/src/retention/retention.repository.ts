import { sql } from 'drizzle-orm';
import type { Executor } from '@todo/db';

/** The engine's pruning queries: each deletes one batch, oldest first. */
export function createRetentionRepository() {
  return {
    /**
     * Processed-event records of `consumer` older than the window. Served by
     * processed_events_consumer_processed_at_idx (migration 0011).
     */
    async pruneProcessedEvents(
      db: Executor,
      consumer: string,
      retentionSeconds: number,
      limit: number,
    ): Promise<number> {
      const deleted = await db.execute(sql`
        DELETE FROM processed_events
        WHERE consumer = ${consumer} AND event_id IN (
          SELECT event_id FROM processed_events
          WHERE consumer = ${consumer}
            AND processed_at < now() - make_interval(secs => ${retentionSeconds})
          ORDER BY processed_at
          LIMIT ${limit})`);
      return deleted.count;
    },

    /**
     * Attempt counts of events no delivery has come back for within the window: a delivery is
     * retried every few seconds while its event is unfinished, so a count this old belongs to an
     * event the broker no longer holds. The table holds unfinished events only (a handled or
     * parked event's row goes at once), so it is small and needs no index for this.
     */
    async pruneAbandonedAttempts(
      db: Executor,
      consumer: string,
      retentionSeconds: number,
      limit: number,
    ): Promise<number> {
      const deleted = await db.execute(sql`
        DELETE FROM delivery_attempts
        WHERE consumer = ${consumer} AND event_id IN (
          SELECT event_id FROM delivery_attempts
          WHERE consumer = ${consumer}
            AND last_attempt_at < now() - make_interval(secs => ${retentionSeconds})
          ORDER BY last_attempt_at
          LIMIT ${limit})`);
      return deleted.count;
    },
  };
}

export type RetentionRepository = ReturnType<typeof createRetentionRepository>;
