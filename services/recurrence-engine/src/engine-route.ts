import { routeFor, type ResponseDoc } from '@todo/service-runtime';
import type { z } from 'zod';
import type { DeliveryLedger } from './parking/delivery-ledger.js';
import type { EventDelivery } from './subscription/deliver-event.js';

/** What the engine's route handlers reach. */
export interface EngineDeps {
  deliver: EventDelivery;
  ledger: DeliveryLedger;
}

/**
 * `route({ ... })` declares one entry of the engine's route table (routes.ts). Every route is the
 * sidecar's: `appToken` is the `dapr-api-token` check (subscription/app-token.ts).
 */
export const route = routeFor<EngineDeps, 'appToken'>();

export const json = (schema: z.ZodType, description: string): ResponseDoc => ({
  description,
  content: { 'application/json': { schema } },
});
