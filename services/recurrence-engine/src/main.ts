import { APP_IDS, EVENT_SOURCES } from '@todo/contracts';
import { prepareOutboxService, runOutboxService } from '@todo/outbox-relay';
import { createApp } from './app.js';
import { loadEnv } from './env.js';
import { startEngineRetention } from './retention/engine-retention.js';

await prepareOutboxService();

runOutboxService({
  name: 'recurrence-engine',
  loadEnv,
  producer: APP_IDS.recurrenceEngine,
  source: EVENT_SOURCES.recurrenceEngine,
  database: (env) => ({ statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS }),
  build: ({ env, logger, database, isShuttingDown, metrics }) => {
    const retention = startEngineRetention({
      db: database.db,
      logger,
      config: {
        retentionSeconds: env.PROCESSED_EVENTS_RETENTION_SECONDS,
        intervalMs: env.PROCESSED_EVENTS_PRUNE_INTERVAL_SECONDS * 1000,
        batchSize: env.PROCESSED_EVENTS_PRUNE_BATCH_SIZE,
      },
    });
    return {
      app: createApp({
        db: database.db,
        logger,
        appApiToken: env.APP_API_TOKEN,
        maxDeliveryAttempts: env.MAX_DELIVERY_ATTEMPTS,
        ready: database.ready,
        isShuttingDown,
        metrics,
      }),
      details: {
        sidecarAuth: env.APP_API_TOKEN ? 'dapr-api-token required' : 'off (no APP_API_TOKEN)',
        maxDeliveryAttempts: env.MAX_DELIVERY_ATTEMPTS,
      },
      stopBeforeDatabaseCloses: [{ name: 'engine pruning', run: () => retention.stop() }],
    };
  },
});
