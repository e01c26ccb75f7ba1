import { randomUUID } from 'node:crypto';
import { DAPR_STATUS, TASK_EVENT_TYPES } from '@todo/contracts';
import type { ParkReason } from '@todo/db';
import type { Logger } from '@todo/service-runtime';
import type { NextOccurrenceHandler, Outcome } from '../occurrences/create-next-occurrence.js';
import type { AttemptRecord, DeliveryLedger } from '../parking/delivery-ledger.js';
import { readEvent } from './read-event.js';

export const NO_ANSWER =
  'no answer: the earlier deliveries timed out or their process stopped before finishing';

export type DeliveryOutcome =
  | {
      status: typeof DAPR_STATUS.success;
      outcome: Outcome | 'ignored' | 'parked' | 'already_parked';
    }
  | { status: typeof DAPR_STATUS.drop; outcome: 'invalid'; detail: string }
  | { status: typeof DAPR_STATUS.retry; outcome: 'failed'; detail: string };

/**
 * `delivery`: an event as Dapr (or the direct transport) delivers it, counted against the attempt
 * limit. `redrive`: a parked event an operator sends again, past the limit; it stays parked
 * unless it is handled.
 */
export type DeliveryMode =
  | 'delivery'
  | 'redrive'
  /**
   * A delivery its caller already counted (`counted` is its attempt number): a bulk delivery
   * that handles its entries one at a time after its batch failed.
   */
  | { counted: number };

/** The deepest cause: drizzle wraps the database's error in "Failed query: <sql>", which hides it. */
export function rootCause(error: unknown): unknown {
  let deepest = error;
  while (deepest instanceof Error && deepest.cause instanceof Error) deepest = deepest.cause;
  return deepest;
}

/** The database's own words. */
export function errorText(error: unknown): string {
  const deepest = rootCause(error);
  return deepest instanceof Error ? deepest.message : String(deepest);
}

/**
 * What the engine does with one delivered CloudEvent, whatever brought it (the subscription
 * route or a re-drive), as the Dapr status to answer:
 *
 * 1. Malformed envelopes are dropped; events other than completions are acknowledged.
 * 2. A recurring task's completion is counted in the database before anything else, in the same
 *    statement that says whether it was already handled or parked; those are acknowledged at
 *    once, without computing the next occurrence again.
 * 3. Past `maxAttempts` deliveries (earlier ones failed, timed out or died with their process),
 *    or at the last allowed one failing, the event is parked and acknowledged, so the events
 *    behind it keep flowing. Below that, a failure answers RETRY.
 * 4. Completions that can never be processed are parked as invalid and dropped.
 */
export function createEventDelivery(options: {
  handleCompleted: NextOccurrenceHandler;
  ledger: DeliveryLedger;
  maxAttempts: number;
}) {
  const { handleCompleted, ledger, maxAttempts } = options;

  return async function deliver(
    body: unknown,
    log: Logger,
    mode: DeliveryMode = 'delivery',
  ): Promise<DeliveryOutcome> {
    const read = readEvent(body, log);
    if (read.kind === 'unusable')
      return { status: DAPR_STATUS.drop, outcome: 'invalid', detail: read.detail };
    if (read.kind === 'ignored') return { status: DAPR_STATUS.success, outcome: 'ignored' };
    const eventId = read.kind === 'invalid' ? read.eventId : read.event.id;
    const type = read.kind === 'invalid' ? read.type : TASK_EVENT_TYPES.completed;

    const eventLog = log.child({ eventId, eventType: type });
    const redrive = mode === 'redrive';

    const park = async (reason: ParkReason, attempts: number, lastError: string) => {
      await ledger.park({
        eventId,
        type,
        envelope: JSON.stringify(body),
        reason,
        attempts,
        lastError,
      });
    };

    const retry = (error: unknown, attempts: number): DeliveryOutcome => {
      // Nothing was committed, so a retry is safe.
      const errorId = randomUUID();
      const message = redrive
        ? 'event handling failed again; it stays parked'
        : 'event handling failed, asking Dapr to retry';
      eventLog.error(message, {
        error_id: errorId,
        err: error,
        ...(attempts > 0 ? { attempt: attempts, maxAttempts } : {}),
      });
      return { status: DAPR_STATUS.retry, outcome: 'failed', detail: errorText(error) };
    };

    /** The event can never be processed: kept for an operator, and dropped. */
    const settleInvalid = async (reason: string, attempts: number): Promise<DeliveryOutcome> => {
      try {
        if (redrive) await ledger.recordRedriveFailure(eventId, reason);
        else await park('invalid', Math.max(attempts, 1), reason);
      } catch (error) {
        return retry(error, attempts);
      }
      eventLog.error('dropping event that can never be processed; it is parked for an operator', {
        reason,
      });
      return { status: DAPR_STATUS.drop, outcome: 'invalid', detail: reason };
    };

    if (read.kind === 'invalid') return settleInvalid(read.reason, 1);
    const { event } = read;

    /** Parks an event that used up its attempts and acknowledges it; throws if parking fails. */
    const parkExhausted = async (attempts: number, lastError: string): Promise<DeliveryOutcome> => {
      await park('attempts_exhausted', attempts, lastError);
      eventLog.error('event parked after too many delivery attempts', {
        attempts,
        maxAttempts,
        lastError,
        taskId: event.data.task_id,
      });
      return { status: DAPR_STATUS.success, outcome: 'parked' };
    };

    let attempts = typeof mode === 'object' ? mode.counted : 0;
    if (mode === 'delivery' && event.data.recurrence) {
      let record: AttemptRecord;
      try {
        record = await ledger.registerAttempt(eventId);
      } catch (error) {
        return retry(error, 0);
      }
      if (record.processed) {
        eventLog.info('task completion handled', {
          outcome: 'duplicate',
          taskId: event.data.task_id,
          seriesId: event.data.series_id,
        });
        return { status: DAPR_STATUS.success, outcome: 'duplicate' };
      }
      if (record.parked) {
        eventLog.info('acknowledging a redelivery of a parked event (re-drive it to process it)');
        return { status: DAPR_STATUS.success, outcome: 'already_parked' };
      }
      attempts = record.attempts;
      if (attempts > maxAttempts) {
        try {
          return await parkExhausted(attempts - 1, record.lastError ?? NO_ANSWER);
        } catch (error) {
          return retry(error, attempts);
        }
      }
    }

    try {
      const result = await handleCompleted(event);
      if (result.kind === 'invalid') return await settleInvalid(result.reason, attempts);
      // A handled event leaves parked_events in the handler's own transaction when it gets that
      // far; outcomes decided before it (not recurring) are settled here.
      if (redrive) await ledger.unpark(eventId);
      eventLog.info('task completion handled', {
        outcome: result.outcome,
        taskId: event.data.task_id,
        seriesId: event.data.series_id,
        ...(result.childId ? { childId: result.childId, dueAt: result.dueAt } : {}),
        ...(redrive ? { redriven: true } : {}),
      });
      return { status: DAPR_STATUS.success, outcome: result.outcome };
    } catch (error) {
      const text = errorText(error);
      if (redrive) {
        await ledger.recordRedriveFailure(eventId, text).catch(() => undefined);
        return retry(error, 0);
      }
      await ledger.recordFailure(eventId, text).catch(() => undefined);
      if (attempts >= maxAttempts) {
        try {
          return await parkExhausted(attempts, text);
        } catch {
          // Parking failed too (the database is probably down): retry, and park next time.
        }
      }
      return retry(error, attempts);
    }
  };
}

export type EventDelivery = ReturnType<typeof createEventDelivery>;
