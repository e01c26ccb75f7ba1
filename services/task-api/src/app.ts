import cors from 'cors';
import express, { Router, type Express } from 'express';
import helmet from 'helmet';
import type { Database } from '@todo/db';
import {
  errorHandler,
  healthRouter,
  notFoundHandler,
  requestContext,
  requireJsonBody,
  type Logger,
} from '@todo/service-runtime';
import type { AccessTokens } from './auth/access-tokens.js';
import { authRouter } from './auth/auth.router.js';
import { createAuthService } from './auth/auth.service.js';
import { createExistingUsers } from './auth/existing-users.js';
import type { PasswordHasher } from './auth/password-hasher.js';
import { requireAuth } from './auth/require-auth.js';
import { createUsersRepository } from './auth/users.repository.js';
import { docsRouter } from './openapi/docs.router.js';
import { DEFAULT_RATE_LIMITS } from './rate-limit/defaults.js';
import { createRateLimits } from './rate-limit/rate-limits.js';
import { recurrenceRouter } from './recurrence/recurrence.router.js';
import { tasksRouter } from './tasks/tasks.router.js';
import { createTasksRepository } from './tasks/tasks.repository.js';
import { createTasksService } from './tasks/tasks.service.js';

export interface AppDeps {
  db: Database;
  logger: Logger;
  tokens: AccessTokens;
  hasher: PasswordHasher;
  /** Resolves when the database answers. */
  ready: () => Promise<void>;
  isShuttingDown?: () => boolean;
  config: {
    corsOrigins: string[];
    bodyLimitBytes: number;
    authRateLimitPerMinute: number;
    /** Defaults as in env.ts, for callers that embed the app (other packages' tests). */
    writeRateLimitPerMinute?: number;
    previewRateLimitPerMinute?: number;
    trustProxyHops: number;
    docsEnabled: boolean;
  };
}

/** Builds the app without listening, so tests drive it with supertest. */
export function createApp(deps: AppDeps): Express {
  const { config } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxyHops);
  app.set('query parser', 'simple');

  app.use(requestContext(deps.logger));
  app.use(
    healthRouter({
      ready: deps.ready,
      ...(deps.isShuttingDown ? { isShuttingDown: deps.isShuttingDown } : {}),
    }),
  );
  app.use(
    helmet({
      // Swagger UI at /docs runs an inline bootstrap script.
      contentSecurityPolicy: { directives: { 'script-src': ["'self'", "'unsafe-inline'"] } },
    }),
  );
  app.use(cors({ origin: config.corsOrigins, credentials: false, maxAge: 600 }));
  app.use(requireJsonBody());
  app.use(express.json({ limit: config.bodyLimitBytes, strict: true }));
  if (config.docsEnabled) app.use(docsRouter());

  const limits = createRateLimits(deps.db, deps.logger, {
    authPerMinute: config.authRateLimitPerMinute,
    writesPerMinute: config.writeRateLimitPerMinute ?? DEFAULT_RATE_LIMITS.writesPerMinute,
    previewsPerMinute: config.previewRateLimitPerMinute ?? DEFAULT_RATE_LIMITS.previewsPerMinute,
  });
  const usersRepo = createUsersRepository(deps.db);
  const auth = requireAuth(deps.tokens, createExistingUsers(usersRepo));
  app.use(
    '/api/auth',
    authRouter({
      auth: createAuthService({ users: usersRepo, hasher: deps.hasher, tokens: deps.tokens }),
      requireAuth: auth,
      authRateLimit: limits.auth,
    }),
  );
  app.use(
    '/api/recurrence',
    auth,
    Router().get('/preview', limits.preview),
    recurrenceRouter(usersRepo),
  );
  app.use(
    '/api/tasks',
    auth,
    limits.writes,
    tasksRouter(createTasksService({ db: deps.db, repo: createTasksRepository() })),
  );

  app.use(notFoundHandler());
  app.use(errorHandler(deps.logger));
  return app;
}
