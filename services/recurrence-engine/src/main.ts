import { createDatabase } from '@todo/db';
import { createLogger, EnvError, installGracefulShutdown } from '@todo/service-runtime';
import { createApp } from './app.js';
import { loadEnv } from './env.js';

function boot() {
  let env;
  try {
    env = loadEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`recurrence-engine: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({
    service: 'recurrence-engine',
    level: env.LOG_LEVEL,
    format: env.LOG_FORMAT,
  });
  const database = createDatabase(env.DATABASE_URL, {
    max: env.DATABASE_POOL_MAX,
    applicationName: 'recurrence-engine',
  });
  let shutdownState = () => false;
  const app = createApp({
    db: database.db,
    logger,
    appApiToken: env.APP_API_TOKEN,
    ready: async () => {
      await database.client`SELECT 1`;
    },
    isShuttingDown: () => shutdownState(),
  });
  const server = app.listen(env.PORT, env.HOST, () => {
    logger.info('recurrence-engine listening', {
      port: env.PORT,
      host: env.HOST,
      sidecarAuth: env.APP_API_TOKEN ? 'dapr-api-token required' : 'off (no APP_API_TOKEN)',
    });
  });
  const { isShuttingDown } = installGracefulShutdown(server, {
    logger,
    steps: [{ name: 'database', run: () => database.close() }],
  });
  shutdownState = isShuttingDown;
}

boot();
