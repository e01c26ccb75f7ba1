import { createDatabase } from '@todo/db';
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
    return {
      app,
      port: env.PORT,
      host: env.HOST,
      details: {
        sidecarAuth: env.APP_API_TOKEN ? 'dapr-api-token required' : 'off (no APP_API_TOKEN)',
      },
      shutdownSteps: [{ name: 'database', run: () => database.close() }],
    };
  },
});
