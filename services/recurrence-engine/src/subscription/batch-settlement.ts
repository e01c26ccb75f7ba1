import { randomUUID } from 'node:crypto';
import { DAPR_STATUS } from '@todo/contracts';
import type { ParkReason } from '@todo/db';
import type { Logger } from '@todo/service-runtime';
import type { DeliveryLedger } from '../parking/delivery-ledger.js';
import { errorText, type DeliveryOutcome } from './deliver-event.js';

/** The CloudEvent attributes of an entry that passed the envelope check. */
type Envelope = { id: string; type: string };

/**
 * How a bulk delivery settles an entry that is not handled normally, with the single path's
 * logs and bookkeeping (deliver-event.ts): asked again, parked as invalid, parked after its
 * attempts. `events[i]` is entry i's CloudEvent.
 */
export function createBatchSettlement(deps: {
  events: unknown[];
  ledger: DeliveryLedger;
  log: Logger;
  maxAttempts: number;
}) {
  const { events, ledger, log, maxAttempts } = deps;
  const envelope = (i: number) => events[i] as Envelope;

  const park = (i: number, reason: ParkReason, attempts: number, lastError: string) =>
    ledger.park({
      eventId: envelope(i).id,
      type: envelope(i).type,
      envelope: JSON.stringify(events[i]),
      reason,
      attempts,
      lastError,
    });

  /** Nothing was committed for entry i, so a retry is safe. */
  const retry = (i: number, error: unknown, attempts: number): DeliveryOutcome => {
    log.error('event handling failed, asking Dapr to retry', {
      error_id: randomUUID(),
      err: error,
      eventId: envelope(i).id,
      ...(attempts > 0 ? { attempt: attempts, maxAttempts } : {}),
    });
    return { status: DAPR_STATUS.retry, outcome: 'failed', detail: errorText(error) };
  };

  return {
    retry,

    /** Parks an event that can never be processed: DROP, or SUCCESS where a DROP is unsafe. */
    async invalid(i: number, reason: string, attempts: number, drop: boolean) {
      try {
        await park(i, 'invalid', Math.max(attempts, 1), reason);
      } catch (error) {
        return retry(i, error, attempts);
      }
      log.error('dropping event that can never be processed; it is parked for an operator', {
        eventId: envelope(i).id,
        reason,
        ...(drop ? {} : { acknowledged: 'not dead-lettered (README: Bulk delivery)' }),
      });
      return drop
        ? ({ status: DAPR_STATUS.drop, outcome: 'invalid', detail: reason } as const)
        : ({ status: DAPR_STATUS.success, outcome: 'parked' } as const);
    },

    /** Parks an event that used up its attempts and acknowledges it. */
    async exhausted(i: number, attempts: number, lastError: string, taskId: string) {
      try {
        await park(i, 'attempts_exhausted', attempts, lastError);
      } catch (error) {
        return retry(i, error, attempts);
      }
      log.error('event parked after too many delivery attempts', {
        eventId: envelope(i).id,
        attempts,
        maxAttempts,
        lastError,
        taskId,
      });
      return { status: DAPR_STATUS.success, outcome: 'parked' } as const;
    },
  };
}
