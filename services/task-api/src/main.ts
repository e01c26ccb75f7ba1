import { APP_IDS, EVENT_SOURCES } from '@todo/contracts';
import { createDatabase } from '@todo/db';
import { startRelayFromEnv } from '@todo/outbox-relay';
import { runService } from '@todo/service-runtime';
import { createApp } from './app.js';
import { createAccessTokens } from './auth/access-tokens.js';
import { createPasswordHasher } from './auth/password-hasher.js';
import { loadEnv } from './env.js';

runService({
  name: 'task-api',
  loadEnv,
  build: (env, logger, isShuttingDown) => {
    const database = createDatabase(env.DATABASE_URL, {
      max: env.DATABASE_POOL_MAX,
      applicationName: 'task-api',
    });
    const app = createApp({
      db: database.db,
      logger,
      tokens: createAccessTokens({
        secret: env.JWT_SECRET,
        issuer: env.JWT_ISSUER,
        audience: env.JWT_AUDIENCE,
        ttlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      }),
      hasher: createPasswordHasher(),
      ready: async () => {
        await database.client`SELECT 1`;
      },
      isShuttingDown,
      config: {
        corsOrigins: env.CORS_ORIGINS,
        bodyLimitBytes: env.BODY_LIMIT_BYTES,
        authRateLimitPerMinute: env.AUTH_RATE_LIMIT_PER_MINUTE,
        writeRateLimitPerMinute: env.WRITE_RATE_LIMIT_PER_MINUTE,
        previewRateLimitPerMinute: env.PREVIEW_RATE_LIMIT_PER_MINUTE,
        trustProxyHops: env.TRUST_PROXY_HOPS,
        docsEnabled: env.DOCS_ENABLED,
      },
    });
    const relayShutdown = startRelayFromEnv({
      env,
      database,
      producer: APP_IDS.taskApi,
      source: EVENT_SOURCES.taskApi,
      logger,
    });
    return {
      app,
      port: env.PORT,
      host: env.HOST,
      details: { docs: env.DOCS_ENABLED ? '/docs' : 'off' },
      shutdownSteps: [...relayShutdown, { name: 'database', run: () => database.close() }],
    };
  },
});
