import { routeFor } from '@todo/service-runtime';
import type { DeliveryLedger } from './parking/delivery-ledger.js';
import type { BatchDelivery } from './subscription/deliver-batch.js';
import type { EventDelivery } from './subscription/deliver-event.js';

/** What the engine's route handlers reach. */
export interface EngineDeps {
  deliver: EventDelivery;
  /** A bulk delivery's entries (deliver-batch.ts). */
  deliverBatch: BatchDelivery;
  ledger: DeliveryLedger;
}

/**
 * `route({ ... })` declares one entry of the engine's route table (routes.ts). Every route is the
 * sidecar's: `appToken` is the `dapr-api-token` check (subscription/app-token.ts).
 */
export const route = routeFor<EngineDeps, 'appToken'>();
