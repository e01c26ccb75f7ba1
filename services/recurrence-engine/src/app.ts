import type { Express } from 'express';
import type { Database } from '@todo/db';
import { createServiceApp, mountRoutes, type Logger } from '@todo/service-runtime';
import type { Registry } from '@todo/telemetry';
import { deliveryObserver, instrumentDelivery, registerParkedEvents } from './engine-metrics.js';
import { traceDelivery } from './engine-tracing.js';
import { createEngineDelivery } from './engine-delivery.js';
import { ENGINE_ROUTES } from './routes.js';
import { requireAppToken } from './subscription/app-token.js';

export interface AppDeps {
  db: Database;
  logger: Logger;
  appApiToken: string | undefined;
  /** Deliveries of one event before it is parked (MAX_DELIVERY_ATTEMPTS). */
  maxDeliveryAttempts: number;
  ready: () => Promise<void>;
  isShuttingDown?: () => boolean;
  /** The service's metrics registry: requests, events by outcome and the recurrence lag. */
  metrics?: Registry;
}

/** Builds the engine's app without listening. */
export function createApp(deps: AppDeps): Express {
  const delivery = createEngineDelivery(deps.db, deps.maxDeliveryAttempts);
  const { ledger } = delivery;
  const traced = traceDelivery(delivery.deliver);
  const deliver = deps.metrics ? instrumentDelivery(traced, deps.metrics) : traced;
  const deliverBatch = delivery.batchDelivery(
    deps.metrics ? deliveryObserver(deps.metrics) : undefined,
  );
  if (deps.metrics) registerParkedEvents(ledger, deps.metrics);
  return createServiceApp({
    logger: deps.logger,
    health: {
      ready: deps.ready,
      // Parked events need an operator (README: re-drive); a number above 0 is worth an alert.
      details: async () => ({ parked_events: await ledger.countParked() }),
      ...(deps.isShuttingDown ? { isShuttingDown: deps.isShuttingDown } : {}),
    },
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    routes: [
      mountRoutes(ENGINE_ROUTES, {
        deps: { deliver, deliverBatch, ledger },
        authenticate: { appToken: requireAppToken(deps.appApiToken) },
      }),
    ],
  });
}
