import express, { type Express } from 'express';
import { RECURRENCE_ENGINE_EVENTS_ROUTE } from '@todo/contracts';
import type { Database } from '@todo/db';
import {
  errorHandler,
  healthRouter,
  notFoundHandler,
  requestContext,
  type Logger,
} from '@todo/service-runtime';
import { createEngineDelivery } from './engine-delivery.js';
import { parkedEventsRouter } from './parking/parked-events.router.js';
import { requireAppToken } from './subscription/app-token.js';
import { taskEventsRouter } from './subscription/task-events.router.js';

export interface AppDeps {
  db: Database;
  logger: Logger;
  appApiToken: string | undefined;
  /** Deliveries of one event before it is parked (MAX_DELIVERY_ATTEMPTS). */
  maxDeliveryAttempts: number;
  ready: () => Promise<void>;
  isShuttingDown?: () => boolean;
}

/** Builds the engine's app without listening. */
export function createApp(deps: AppDeps): Express {
  const { ledger, deliver } = createEngineDelivery(deps.db, deps.maxDeliveryAttempts);
  const app = express();
  app.disable('x-powered-by');
  app.use(requestContext(deps.logger));
  app.use(
    healthRouter({
      ready: deps.ready,
      // Parked events need an operator (README: re-drive); a number above 0 is worth an alert.
      details: async () => ({ parked_events: await ledger.countParked() }),
      ...(deps.isShuttingDown ? { isShuttingDown: deps.isShuttingDown } : {}),
    }),
  );

  // Subscriptions are declared as Dapr Subscription resources (infra/), not programmatically.
  app.get('/dapr/subscribe', requireAppToken(deps.appApiToken), (_req, res) => {
    res.json([]);
  });
  app.use(
    RECURRENCE_ENGINE_EVENTS_ROUTE,
    requireAppToken(deps.appApiToken),
    taskEventsRouter(deliver),
  );
  app.use('/parked', requireAppToken(deps.appApiToken), parkedEventsRouter(ledger));

  app.use(notFoundHandler());
  app.use(errorHandler(deps.logger));
  return app;
}
