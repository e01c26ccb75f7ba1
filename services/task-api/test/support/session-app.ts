import type { Database } from '@todo/db';
import { createCapturingLogger } from '@todo/service-runtime/testing';
import type { Response } from 'supertest';
import { createApp, type AppDeps, type TaskApiApp } from '../../src/app.js';
import { createAccessTokens } from '../../src/auth/access-tokens.js';
import { createPasswordHasher } from '../../src/auth/password-hasher.js';
import { REFRESH_COOKIE_NAME } from '../../src/auth/refresh-cookie.js';
import { TEST_TOKEN_CONFIG } from './test-app.js';

/** A clock a test moves instead of sleeping; shared by every replica built on it. */
export interface TestClock {
  ms: number;
  advance(ms: number): void;
}

export function testClock(start = Date.parse('2031-03-01T09:00:00Z')): TestClock {
  return {
    ms: start,
    advance(ms) {
      this.ms += ms;
    },
  };
}

/**
 * One task-api replica over `db` on `clock`: access tokens (15 minutes, as deployed), sessions and
 * their liveness cache all read it.
 */
export function createClockedApp(
  db: Database,
  clock: TestClock,
  overrides: Partial<AppDeps['config']> = {},
  tokenTtlSeconds = 900,
): TaskApiApp {
  const now = () => clock.ms;
  return createApp({
    db,
    logger: createCapturingLogger('task-api', 'info').logger,
    tokens: createAccessTokens({ ...TEST_TOKEN_CONFIG, ttlSeconds: tokenTtlSeconds, now }),
    hasher: createPasswordHasher(),
    ready: async () => {},
    now,
    config: {
      corsOrigins: ['http://localhost:3000'],
      bodyLimitBytes: 100_000,
      authRateLimitPerMinute: 1000,
      sessionRateLimitPerMinute: 100_000,
      writeRateLimitPerMinute: 100_000,
      previewRateLimitPerMinute: 100_000,
      trustProxyHops: 0,
      docsEnabled: false,
      ...overrides,
    },
  });
}

/** The `todo_refresh` Set-Cookie line of a response, if it has one. */
export function refreshSetCookie(res: Response): string | undefined {
  const lines = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return lines.find((line) => line.startsWith(`${REFRESH_COOKIE_NAME}=`));
}

/** The refresh token a response's Set-Cookie carries ('' when it clears the cookie). */
export function refreshCookieValue(res: Response): string | undefined {
  return refreshSetCookie(res)
    ?.split(';')[0]!
    .slice(REFRESH_COOKIE_NAME.length + 1);
}

/** The `sid` claim of an access token. */
export function sessionIdOf(accessToken: string): string {
  return JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()).sid;
}
