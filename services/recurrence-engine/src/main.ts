import { APP_IDS, EVENT_SOURCES } from '@todo/contracts';
import { runOutboxService } from '@todo/outbox-relay';
import { createApp } from './app.js';
import { loadEnv } from './env.js';

runOutboxService({
  name: 'recurrence-engine',
  loadEnv,
  producer: APP_IDS.recurrenceEngine,
  source: EVENT_SOURCES.recurrenceEngine,
  database: (env) => ({ statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS }),
  build: ({ env, logger, database, isShuttingDown }) => ({
    app: createApp({
      db: database.db,
      logger,
      appApiToken: env.APP_API_TOKEN,
      maxDeliveryAttempts: env.MAX_DELIVERY_ATTEMPTS,
      ready: database.ready,
      isShuttingDown,
    }),
    details: {
      sidecarAuth: env.APP_API_TOKEN ? 'dapr-api-token required' : 'off (no APP_API_TOKEN)',
      maxDeliveryAttempts: env.MAX_DELIVERY_ATTEMPTS,
    },
  }),
});
