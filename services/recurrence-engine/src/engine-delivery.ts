import type { Database } from '@todo/db';
import { CONSUMER, createNextOccurrenceHandler } from './occurrences/create-next-occurrence.js';
import { createOccurrencesRepository } from './occurrences/occurrences.repository.js';
import { createDeliveryLedger } from './parking/delivery-ledger.js';
import { createEventDelivery } from './subscription/deliver-event.js';

/** The engine's event handling, shared by its subscription route and the `redrive` command. */
export function createEngineDelivery(db: Database, maxDeliveryAttempts: number) {
  const ledger = createDeliveryLedger(db, CONSUMER);
  const deliver = createEventDelivery({
    handleCompleted: createNextOccurrenceHandler({ db, repo: createOccurrencesRepository() }),
    ledger,
    maxAttempts: maxDeliveryAttempts,
  });
  return { ledger, deliver };
}
