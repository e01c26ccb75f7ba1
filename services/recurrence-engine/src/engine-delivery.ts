import type { Database } from '@todo/db';
import { createBatchCommitter } from './occurrences/commit-next-batch.js';
import { CONSUMER, createNextOccurrenceHandler } from './occurrences/create-next-occurrence.js';
import { createOccurrencesRepository } from './occurrences/occurrences.repository.js';
import { createBatchLedger } from './parking/batch-ledger.js';
import { createDeliveryLedger } from './parking/delivery-ledger.js';
import type { DeliveryObserver } from './engine-metrics.js';
import { createBatchDelivery } from './subscription/deliver-batch.js';
import { createEventDelivery } from './subscription/deliver-event.js';

/** The engine's event handling, shared by its subscription route and the `redrive` command. */
export function createEngineDelivery(db: Database, maxDeliveryAttempts: number) {
  const ledger = createDeliveryLedger(db, CONSUMER);
  const repo = createOccurrencesRepository();
  const deliver = createEventDelivery({
    handleCompleted: createNextOccurrenceHandler({ db, repo }),
    ledger,
    maxAttempts: maxDeliveryAttempts,
  });
  /** Bulk deliveries; `observe` counts their entries (the single path is wrapped instead). */
  const batchDelivery = (observe?: DeliveryObserver) =>
    createBatchDelivery({
      deliverOne: deliver,
      commitBatch: createBatchCommitter({ db, repo }),
      ledger,
      batchLedger: createBatchLedger(db, CONSUMER),
      maxAttempts: maxDeliveryAttempts,
      observe,
    });
  return { ledger, deliver, batchDelivery };
}
