import { createDatabase } from '@todo/db';
import { createLogger, EnvError, installGracefulShutdown } from '@todo/service-runtime';
import { createApp } from './app.js';
import { createAccessTokens } from './auth/access-tokens.js';
import { createPasswordHasher } from './auth/password-hasher.js';
import { loadEnv } from './env.js';

function boot() {
  let env;
  try {
    env = loadEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`task-api: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({
    service: 'task-api',
    level: env.LOG_LEVEL,
    format: env.LOG_FORMAT,
  });
  const database = createDatabase(env.DATABASE_URL, {
    max: env.DATABASE_POOL_MAX,
    applicationName: 'task-api',
  });
  let shutdownState = () => false;
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
    isShuttingDown: () => shutdownState(),
    config: {
      corsOrigins: env.CORS_ORIGINS,
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      authRateLimitPerMinute: env.AUTH_RATE_LIMIT_PER_MINUTE,
      trustProxyHops: env.TRUST_PROXY_HOPS,
      docsEnabled: env.DOCS_ENABLED,
    },
  });
  const server = app.listen(env.PORT, env.HOST, () => {
    logger.info('task-api listening', {
      port: env.PORT,
      host: env.HOST,
      docs: env.DOCS_ENABLED ? '/docs' : 'off',
    });
  });
  // Keep-alive longer than typical load balancer idle timeouts, so they close first.
  server.keepAliveTimeout = 65_000;
  const { isShuttingDown } = installGracefulShutdown(server, {
    logger,
    steps: [{ name: 'database', run: () => database.close() }],
  });
  shutdownState = isShuttingDown;
}

boot();
