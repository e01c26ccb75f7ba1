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
import { createNextOccurrenceHandler } from './occurrences/create-next-occurrence.js';
import { createOccurrencesRepository } from './occurrences/occurrences.repository.js';
import { requireAppToken } from './subscription/app-token.js';
import { taskEventsRouter } from './subscription/task-events.router.js';

export interface AppDeps {
  db: Database;
  logger: Logger;
  appApiToken: string | undefined;
  ready: () => Promise<void>;
  isShuttingDown?: () => boolean;
}

/** Builds the engine's app without listening. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestContext(deps.logger));
  app.use(
    healthRouter({
      ready: deps.ready,
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
    taskEventsRouter(
      createNextOccurrenceHandler({ db: deps.db, repo: createOccurrencesRepository() }),
    ),
  );

  app.use(notFoundHandler());
  app.use(errorHandler(deps.logger));
  return app;
}
