import { APP_IDS, EVENT_SOURCES } from '@todo/contracts';
import { createDatabase } from '@todo/db';
import { startRelayFromEnv } from '@todo/outbox-relay';
import { runService } from '@todo/service-runtime';
import { createApp } from './app.js';
import { loadEnv } from './env.js';

runService({
  name: 'recurrence-engine',
  loadEnv,
  build: (env, logger, isShuttingDown) => {
    const database = createDatabase(env.DATABASE_URL, {
      max: env.DATABASE_POOL_MAX,
      applicationName: 'recurrence-engine',
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    });
    const app = createApp({
      db: database.db,
      logger,
      appApiToken: env.APP_API_TOKEN,
      maxDeliveryAttempts: env.MAX_DELIVERY_ATTEMPTS,
      ready: async () => {
        await database.client`SELECT 1`;
      },
      isShuttingDown,
    });
    const relayShutdown = startRelayFromEnv({
      env,
      database,
      producer: APP_IDS.recurrenceEngine,
      source: EVENT_SOURCES.recurrenceEngine,
      logger,
    });
    return {
      app,
      port: env.PORT,
      host: env.HOST,
      details: {
        sidecarAuth: env.APP_API_TOKEN ? 'dapr-api-token required' : 'off (no APP_API_TOKEN)',
        maxDeliveryAttempts: env.MAX_DELIVERY_ATTEMPTS,
      },
      shutdownSteps: [...relayShutdown, { name: 'database', run: () => database.close() }],
    };
  },
});
