import type { Database } from '@todo/db';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { createCapturingLogger } from '@todo/service-runtime/testing';
import request from 'supertest';
import { createApp, type AppDeps, type TaskApiApp } from '../../src/app.js';
import { createAccessTokens, type AccessTokenConfig } from '../../src/auth/access-tokens.js';
import { createPasswordHasher } from '../../src/auth/password-hasher.js';

export const TEST_TOKEN_CONFIG: AccessTokenConfig = {
  secret: 'test-secret-that-is-long-enough-for-hs256-0123456789',
  issuer: 'todo-task-api',
  audience: 'todo-frontend',
  ttlSeconds: 3600,
};

export interface TestApp {
  app: TaskApiApp;
  database: TestDatabase;
  /** Every log line the app wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * The real app over a database someone else set up (a second replica, another role), with the
 * test defaults: limits high enough never to get in the way.
 */
export function createAppOver(
  db: Database,
  overrides: Partial<AppDeps['config']> = {},
  ready: AppDeps['ready'] = async () => {},
  extra: Pick<AppDeps, 'streams' | 'metrics'> = {},
): Pick<TestApp, 'app' | 'logs'> {
  const { logger, logs } = createCapturingLogger('task-api', 'info');
  const app = createApp({
    db,
    logger,
    tokens: createAccessTokens(TEST_TOKEN_CONFIG),
    hasher: createPasswordHasher(),
    ready,
    ...extra,
    config: {
      corsOrigins: ['http://localhost:3000'],
      bodyLimitBytes: 100_000,
      authRateLimitPerMinute: 1000,
      sessionRateLimitPerMinute: 100_000,
      writeRateLimitPerMinute: 100_000,
      previewRateLimitPerMinute: 100_000,
      trustProxyHops: 0,
      docsEnabled: true,
      ...overrides,
    },
  });
  return { app, logs };
}

/** The real app over a fresh, migrated database of its own. */
export async function createTestApp(overrides: Partial<AppDeps['config']> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const { app, logs } = createAppOver(database.db, overrides, database.ready);
  return { app, database, logs, close: () => database.drop() };
}

let userCounter = 0;

/** Registers a fresh user and returns an authorization header for them. */
export async function registerUser(app: TaskApiApp, timezone?: string) {
  userCounter += 1;
  const email = `user${userCounter}-${Date.now()}@example.com`;
  const res = await request(app)
    .post('/api/auth/register')
    .send({ email, password: 'correct horse battery staple', ...(timezone ? { timezone } : {}) })
    .expect(201);
  return {
    id: res.body.user.id as string,
    email,
    auth: { Authorization: `Bearer ${res.body.access_token as string}` },
  };
}
