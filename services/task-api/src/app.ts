import type { RequestListener } from 'node:http';
import cors from 'cors';
import express from 'express';
import helmet from 'helmet';
import type { Database } from '@todo/db';
import {
  createServiceApp,
  mountRoutes,
  requireJsonBody,
  type Logger,
  type MetricsRegistry,
} from '@todo/service-runtime';
import { httpServerTimer } from '@todo/telemetry';
import type { ApiDeps } from './api-route.js';
import type { AccessTokens } from './auth/access-tokens.js';
import { createAccountDeletionRepository } from './auth/account-deletion.repository.js';
import { createAuthService } from './auth/auth.service.js';
import { createLiveSessions } from './auth/live-sessions.js';
import type { PasswordHasher } from './auth/password-hasher.js';
import { createRefreshCookie } from './auth/refresh-cookie.js';
import { authenticateBearer, requireAuth } from './auth/require-auth.js';
import { createSessionService, DEFAULT_SESSION_TTL_SECONDS } from './auth/session.service.js';
import { createSessionsRepository } from './auth/sessions.repository.js';
import { createUsersRepository } from './auth/users.repository.js';
import { docsRouter } from './openapi/docs.router.js';
import { buildOpenApiDocument } from './openapi/openapi-document.js';
import { DEFAULT_RATE_LIMITS } from './rate-limit/defaults.js';
import { RATE_LIMITS } from './rate-limit/limited-routes.js';
import { createRateLimits } from './rate-limit/rate-limits.js';
import { createPreviewService } from './recurrence/preview.service.js';
import { API_ROUTES, OPENAPI_ROUTES } from './routes.js';
import { createTasksRepository } from './tasks/tasks.repository.js';
import { createTasksService } from './tasks/tasks.service.js';
import { withStreamListener } from './stream/stream-listener.js';
import type { TaskStreams } from './stream/task-streams.js';

/** task-api's HTTP handler: the live stream's listener in front of the Express app. */
export type TaskApiApp = RequestListener;

export interface AppDeps {
  db: Database;
  logger: Logger;
  tokens: AccessTokens;
  hasher: PasswordHasher;
  /** Resolves when the database answers. */
  ready: () => Promise<void>;
  isShuttingDown?: () => boolean;
  /** The live stream (stream/live-stream.ts); without it `GET /api/tasks/stream` answers 503. */
  streams?: TaskStreams;
  /** Epoch milliseconds sessions are dated and checked by (tests move it); default Date.now. */
  now?: () => number;
  /** The service's metrics registry: every request is timed into it. */
  metrics?: MetricsRegistry;
  config: {
    corsOrigins: string[];
    bodyLimitBytes: number;
    authRateLimitPerMinute: number;
    /** Defaults as in env.ts, for callers that embed the app (other packages' tests). */
    sessionRateLimitPerMinute?: number;
    writeRateLimitPerMinute?: number;
    previewRateLimitPerMinute?: number;
    trustProxyHops: number;
    docsEnabled: boolean;
    /** SESSION_TTL_SECONDS; default 30 days. */
    sessionTtlSeconds?: number;
    /** REFRESH_COOKIE_SECURE; default true. */
    refreshCookieSecure?: boolean;
  };
}

/** Builds the app without listening, so tests drive it with supertest. */
export function createApp(deps: AppDeps): TaskApiApp {
  const { config } = deps;
  const limits = createRateLimits(deps.db, deps.logger, {
    authPerMinute: config.authRateLimitPerMinute,
    sessionsPerMinute: config.sessionRateLimitPerMinute ?? DEFAULT_RATE_LIMITS.sessionsPerMinute,
    writesPerMinute: config.writeRateLimitPerMinute ?? DEFAULT_RATE_LIMITS.writesPerMinute,
    previewsPerMinute: config.previewRateLimitPerMinute ?? DEFAULT_RATE_LIMITS.previewsPerMinute,
  });
  const usersRepo = createUsersRepository(deps.db);
  const sessionsRepo = createSessionsRepository();
  const live = createLiveSessions({ db: deps.db, repo: sessionsRepo, now: deps.now });
  const document = config.docsEnabled ? buildOpenApiDocument() : undefined;
  const services: ApiDeps = {
    auth: createAuthService({
      db: deps.db,
      users: usersRepo,
      deletion: createAccountDeletionRepository(),
      hasher: deps.hasher,
      logger: deps.logger,
      tokens: deps.tokens,
      live,
      sessions: createSessionService({
        db: deps.db,
        repo: sessionsRepo,
        tokens: deps.tokens,
        live,
        sessionTtlSeconds: config.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_SECONDS,
        now: deps.now,
        onPurgeError: (err) => deps.logger.warn('could not purge ended sessions', { err }),
      }),
      cookie: createRefreshCookie({ secure: config.refreshCookieSecure ?? true }),
      allowedOrigins: config.corsOrigins,
    }),
    tasks: createTasksService({ db: deps.db, repo: createTasksRepository() }),
    preview: createPreviewService(deps.db),
    streams: deps.streams,
    openApiDocument: () => document,
  };

  // One instance of each, run by the app and by the stream's listener alike.
  const securityHeaders = helmet({
    // Swagger UI at /docs runs an inline bootstrap script.
    contentSecurityPolicy: { directives: { 'script-src': ["'self'", "'unsafe-inline'"] } },
  });
  // Credentials, so a frontend on one of these origins can send the refresh cookie
  // (`credentials: 'include'`); env.ts refuses `*`, which must never come with credentials.
  const corsHeaders = cors({ origin: config.corsOrigins, credentials: true, maxAge: 600 });

  const app = createServiceApp({
    logger: deps.logger,
    health: {
      ready: deps.ready,
      ...(deps.isShuttingDown ? { isShuttingDown: deps.isShuttingDown } : {}),
    },
    settings: { 'trust proxy': config.trustProxyHops, 'query parser': 'simple' },
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    before: [
      securityHeaders,
      corsHeaders,
      requireJsonBody(),
      express.json({ limit: config.bodyLimitBytes, strict: true }),
      ...(config.docsEnabled ? [docsRouter()] : []),
    ],
    routes: [
      mountRoutes(config.docsEnabled ? [...API_ROUTES, ...OPENAPI_ROUTES] : API_ROUTES, {
        deps: services,
        authenticate: { bearer: requireAuth(deps.tokens, live) },
        rateLimiters: {
          [RATE_LIMITS.auth.name]: limits.auth,
          [RATE_LIMITS.session.name]: limits.sessions,
          [RATE_LIMITS.write.name]: limits.writes,
          [RATE_LIMITS.preview.name]: limits.preview,
        },
      }),
    ],
  });
  return withStreamListener(app, {
    streams: deps.streams,
    authenticate: (authorization) => authenticateBearer(deps.tokens, live, authorization),
    logger: deps.logger,
    headers: [securityHeaders, corsHeaders],
    ...(deps.metrics ? { time: httpServerTimer(deps.metrics) } : {}),
    trustProxyHops: config.trustProxyHops,
  });
}
