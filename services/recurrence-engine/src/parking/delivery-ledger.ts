import { and, asc, count, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import {
  deliveryAttempts,
  parkedEvents,
  processedEvents,
  type Executor,
  type ParkedEventRow,
  type ParkReason,
} from '@todo/db';

/** How many of the latest parked events an overview lists (`GET /parked`, `redrive --list`). */
const PARKED_LISTED = 50;

/** Errors are kept for an operator to read, not as a log: long ones are cut. */
const MAX_ERROR_LENGTH = 1000;
const clip = (text: string) => text.slice(0, MAX_ERROR_LENGTH);

export interface AttemptRecord {
  /** The consumer already handled this event: nothing to do. */
  processed: boolean;
  /** The event is parked: an operator re-drives it, deliveries do not. */
  parked: boolean;
  /** This delivery's number (1 for the first), when neither of the above. */
  attempts: number;
  /** The last failure an earlier delivery recorded (none if they timed out or died). */
  lastError: string | null;
}

export interface ParkedEvent {
  eventId: string;
  type: string;
  /** The CloudEvent as delivered, as JSON text. */
  envelope: string;
  reason: ParkReason;
  attempts: number;
  lastError: string;
}

export type ParkedSummary = Omit<ParkedEventRow, 'consumer' | 'envelope'>;

/**
 * One consumer's bookkeeping of deliveries: how many times each unfinished event was delivered,
 * and the events it gave up on (parked). The counts live in the database, so every replica sees
 * them and a delivery that timed out or died with its process still counts.
 */
export function createDeliveryLedger(db: Executor, consumer: string) {
  const ofEvent = (table: typeof deliveryAttempts | typeof parkedEvents, eventId: string) =>
    and(eq(table.consumer, consumer), eq(table.eventId, eventId));

  const countParked = async (): Promise<number> => {
    const [row] = await db
      .select({ n: count() })
      .from(parkedEvents)
      .where(eq(parkedEvents.consumer, consumer));
    return row!.n;
  };

  /** The most recently parked events, newest first, without their envelopes. */
  const latestParked = (limit: number): Promise<ParkedSummary[]> =>
    db
      .select({
        eventId: parkedEvents.eventId,
        type: parkedEvents.type,
        reason: parkedEvents.reason,
        attempts: parkedEvents.attempts,
        lastError: parkedEvents.lastError,
        parkedAt: parkedEvents.parkedAt,
      })
      .from(parkedEvents)
      .where(eq(parkedEvents.consumer, consumer))
      .orderBy(desc(parkedEvents.parkedAt), desc(parkedEvents.eventId))
      .limit(limit);

  return {
    /**
     * Counts a delivery of `eventId` and says in the same statement whether the event was already
     * handled or parked, in which case nothing is counted. One round trip, before any other work.
     */
    async registerAttempt(eventId: string): Promise<AttemptRecord> {
      const rows = await db.execute<{
        processed: boolean;
        parked: boolean;
        attempts: number | null;
        last_error: string | null;
      }>(sql`
        WITH seen AS (
          SELECT
            EXISTS (SELECT 1 FROM ${processedEvents}
                    WHERE ${processedEvents.consumer} = ${consumer}
                      AND ${processedEvents.eventId} = ${eventId}) AS processed,
            EXISTS (SELECT 1 FROM ${parkedEvents}
                    WHERE ${parkedEvents.consumer} = ${consumer}
                      AND ${parkedEvents.eventId} = ${eventId}) AS parked
        ), counted AS (
          INSERT INTO ${deliveryAttempts} AS a (consumer, event_id)
          SELECT ${consumer}, ${eventId} FROM seen WHERE NOT seen.processed AND NOT seen.parked
          ON CONFLICT (consumer, event_id)
          DO UPDATE SET attempts = a.attempts + 1, last_attempt_at = now()
          RETURNING a.attempts, a.last_error
        )
        SELECT seen.processed, seen.parked, counted.attempts, counted.last_error
        FROM seen LEFT JOIN counted ON true`);
      const row = rows[0]!;
      return {
        processed: row.processed,
        parked: row.parked,
        attempts: row.attempts ?? 0,
        lastError: row.last_error,
      };
    },

    /** Keeps why a delivery failed, for the park record if the event is parked later. */
    async recordFailure(eventId: string, error: string): Promise<void> {
      await db
        .update(deliveryAttempts)
        .set({ lastError: clip(error) })
        .where(ofEvent(deliveryAttempts, eventId));
    },

    /**
     * Parks an event (or updates its park record) and drops its attempt count, in one statement.
     * An event handled meanwhile (a slow delivery that committed after all) is not parked.
     */
    async park(event: ParkedEvent): Promise<void> {
      await db.execute(sql`
        WITH cleared AS (
          DELETE FROM ${deliveryAttempts}
          WHERE ${deliveryAttempts.consumer} = ${consumer}
            AND ${deliveryAttempts.eventId} = ${event.eventId}
        )
        INSERT INTO ${parkedEvents}
          (consumer, event_id, type, envelope, reason, attempts, last_error)
        SELECT ${consumer}, ${event.eventId}, ${event.type}, ${event.envelope}, ${event.reason},
               ${event.attempts}, ${clip(event.lastError)}
        WHERE NOT EXISTS (SELECT 1 FROM ${processedEvents}
                          WHERE ${processedEvents.consumer} = ${consumer}
                            AND ${processedEvents.eventId} = ${event.eventId})
        ON CONFLICT (consumer, event_id) DO UPDATE SET
          envelope = excluded.envelope, reason = excluded.reason,
          attempts = excluded.attempts, last_error = excluded.last_error`);
    },

    /** A re-drive that failed again: counts it and keeps the new error; the event stays parked. */
    async recordRedriveFailure(eventId: string, error: string): Promise<void> {
      await db
        .update(parkedEvents)
        .set({ attempts: sql`${parkedEvents.attempts} + 1`, lastError: clip(error) })
        .where(ofEvent(parkedEvents, eventId));
    },

    async unpark(eventId: string): Promise<void> {
      await db.delete(parkedEvents).where(ofEvent(parkedEvents, eventId));
    },

    countParked,

    /** How many events are parked (all of them), and the latest {@link PARKED_LISTED}. */
    async parkedOverview(): Promise<{ count: number; latest: ParkedSummary[] }> {
      const [count, latest] = await Promise.all([countParked(), latestParked(PARKED_LISTED)]);
      return { count, latest };
    },

    /** Parked events by id (those that are parked; others are left out). */
    async parkedByIds(eventIds: string[]): Promise<ParkedEvent[]> {
      if (eventIds.length === 0) return [];
      return db
        .select(parkedColumns)
        .from(parkedEvents)
        .where(and(eq(parkedEvents.consumer, consumer), inArray(parkedEvents.eventId, eventIds)));
    },

    /**
     * One page of parked events after `afterEventId` in id order (keyset paging: a long re-drive
     * reads a bounded page at a time and never repeats one that stays parked). Completions are
     * independent of one another, so the order they are re-driven in does not matter.
     */
    async parkedPage(limit: number, afterEventId?: string): Promise<ParkedEvent[]> {
      return db
        .select(parkedColumns)
        .from(parkedEvents)
        .where(
          and(
            eq(parkedEvents.consumer, consumer),
            afterEventId === undefined ? undefined : gt(parkedEvents.eventId, afterEventId),
          ),
        )
        .orderBy(asc(parkedEvents.eventId))
        .limit(limit);
    },
  };
}

const parkedColumns = {
  eventId: parkedEvents.eventId,
  type: parkedEvents.type,
  envelope: parkedEvents.envelope,
  reason: parkedEvents.reason,
  attempts: parkedEvents.attempts,
  lastError: parkedEvents.lastError,
};

export type DeliveryLedger = ReturnType<typeof createDeliveryLedger>;
