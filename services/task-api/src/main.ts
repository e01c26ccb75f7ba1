import { APP_IDS, EVENT_SOURCES } from '@todo/contracts';
import { prepareOutboxService, runOutboxService } from '@todo/outbox-relay';
import { createApp } from './app.js';
import { createAccessTokens } from './auth/access-tokens.js';
import { createPasswordHasher } from './auth/password-hasher.js';
import { loadEnv } from './env.js';
import { TASK_API_DATABASE_OPTIONS } from './task-database.js';
import { createLiveStream } from './stream/live-stream.js';
import { liveStreamConfigOf } from './stream/stream-env.js';
import { registerStreamMetrics } from './stream/stream-metrics.js';

await prepareOutboxService();

runOutboxService({
  name: 'task-api',
  loadEnv,
  producer: APP_IDS.taskApi,
  source: EVENT_SOURCES.taskApi,
  database: () => TASK_API_DATABASE_OPTIONS,
  build: ({ env, logger, database, isShuttingDown, metrics }) => {
    const liveConfig = liveStreamConfigOf(env);
    const live = createLiveStream({
      db: database.db,
      sql: database.client,
      logger,
      config: liveConfig,
    });
    registerStreamMetrics(metrics, live.streams, liveConfig.streams.maxOpen);
    return {
      app: createApp({
        db: database.db,
        logger,
        tokens: createAccessTokens({
          secret: env.JWT_SECRET,
          issuer: env.JWT_ISSUER,
          audience: env.JWT_AUDIENCE,
          ttlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
        }),
        hasher: createPasswordHasher(),
        ready: database.ready,
        isShuttingDown,
        streams: live.streams,
        metrics,
        config: {
          corsOrigins: env.CORS_ORIGINS,
          bodyLimitBytes: env.BODY_LIMIT_BYTES,
          authRateLimitPerMinute: env.AUTH_RATE_LIMIT_PER_MINUTE,
          sessionRateLimitPerMinute: env.SESSION_RATE_LIMIT_PER_MINUTE,
          writeRateLimitPerMinute: env.WRITE_RATE_LIMIT_PER_MINUTE,
          previewRateLimitPerMinute: env.PREVIEW_RATE_LIMIT_PER_MINUTE,
          trustProxyHops: env.TRUST_PROXY_HOPS,
          docsEnabled: env.DOCS_ENABLED,
          sessionTtlSeconds: env.SESSION_TTL_SECONDS,
          refreshCookieSecure: env.REFRESH_COOKIE_SECURE,
        },
      }),
      details: { docs: env.DOCS_ENABLED ? '/docs' : 'off' },
      // Streams never end by themselves: ended first, or the drain would wait for them.
      beforeDrain: live.stop,
    };
  },
});
