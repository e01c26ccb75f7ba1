import { APP_IDS, EVENT_SOURCES } from '@todo/contracts';
import { createDatabase } from '@todo/db';
import { createOutboxRelay, createTransportFromEnv } from '@todo/outbox-relay';
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
    });
    const app = createApp({
      db: database.db,
      logger,
      appApiToken: env.APP_API_TOKEN,
      ready: async () => {
        await database.client`SELECT 1`;
      },
      isShuttingDown,
    });
    const transport = createTransportFromEnv(env, EVENT_SOURCES.recurrenceEngine);
    const relay = transport
      ? createOutboxRelay({
          db: database.db,
          listenClient: database.client,
          producer: APP_IDS.recurrenceEngine,
          transport,
          logger,
          batchSize: env.OUTBOX_BATCH_SIZE,
          pollIntervalMs: env.OUTBOX_POLL_INTERVAL_MS,
          maxRetryDelayMs: env.OUTBOX_MAX_RETRY_DELAY_MS,
        })
      : undefined;
    if (relay) void relay.start();
    else logger.warn('EVENT_TRANSPORT=off: events stay in the outbox, unpublished');
    return {
      app,
      port: env.PORT,
      host: env.HOST,
      details: {
        sidecarAuth: env.APP_API_TOKEN ? 'dapr-api-token required' : 'off (no APP_API_TOKEN)',
      },
      shutdownSteps: [
        ...(relay ? [{ name: 'outbox relay', run: () => relay.stop() }] : []),
        { name: 'database', run: () => database.close() },
      ],
    };
  },
});
