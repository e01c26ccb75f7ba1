import { sql } from 'drizzle-orm';
import { deliveryAttempts, parkedEvents, processedEvents, type Executor } from '@todo/db';
import { textArray } from '../sql-array.js';
import type { AttemptRecord } from './delivery-ledger.js';

/** Errors are kept for an operator to read, not as a log: long ones are cut (as delivery-ledger.ts). */
const MAX_ERROR_LENGTH = 1000;

/**
 * The batch forms of the delivery ledger's bookkeeping (delivery-ledger.ts), one statement each,
 * for a bulk delivery: the same rows as one call per event.
 */
export function createBatchLedger(db: Executor, consumer: string) {
  return {
    /**
     * `registerAttempt` for several distinct events in one autocommit statement: counts a
     * delivery of each event neither handled nor parked, and says which were. Counted in event id
     * order, so two batches sharing events queue on the first instead of deadlocking.
     */
    async registerAttempts(eventIds: string[]): Promise<Map<string, AttemptRecord>> {
      if (eventIds.length === 0) return new Map();
      const rows = await db.execute<{
        event_id: string;
        processed: boolean;
        parked: boolean;
        attempts: number | null;
        last_error: string | null;
      }>(sql`
        WITH ids AS (SELECT DISTINCT unnest(${textArray(eventIds)}) AS event_id),
        seen AS (
          SELECT ids.event_id,
            EXISTS (SELECT 1 FROM ${processedEvents} p
                    WHERE p.consumer = ${consumer} AND p.event_id = ids.event_id) AS processed,
            EXISTS (SELECT 1 FROM ${parkedEvents} k
                    WHERE k.consumer = ${consumer} AND k.event_id = ids.event_id) AS parked
          FROM ids
        ), counted AS (
          INSERT INTO ${deliveryAttempts} AS a (consumer, event_id)
          SELECT ${consumer}, seen.event_id FROM seen
          WHERE NOT seen.processed AND NOT seen.parked
          ORDER BY seen.event_id
          ON CONFLICT (consumer, event_id)
          DO UPDATE SET attempts = a.attempts + 1, last_attempt_at = now()
          RETURNING a.event_id, a.attempts, a.last_error
        )
        SELECT seen.event_id, seen.processed, seen.parked, counted.attempts, counted.last_error
        FROM seen LEFT JOIN counted ON counted.event_id = seen.event_id`);
      return new Map(
        rows.map((row) => [
          row.event_id,
          {
            processed: row.processed,
            parked: row.parked,
            attempts: row.attempts ?? 0,
            lastError: row.last_error,
          },
        ]),
      );
    },

    /** `recordFailure` for several events that failed together (their batch), with one error. */
    async recordFailures(eventIds: string[], error: string): Promise<void> {
      if (eventIds.length === 0) return;
      await db.execute(sql`
        UPDATE ${deliveryAttempts} SET last_error = ${error.slice(0, MAX_ERROR_LENGTH)}
        WHERE consumer = ${consumer} AND event_id = ANY(${textArray(eventIds)})`);
    },
  };
}

export type BatchLedger = ReturnType<typeof createBatchLedger>;
