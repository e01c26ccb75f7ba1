import { describe, expect, it } from '@jest/globals';
import { EnvError } from '@todo/service-runtime';
import { loadEnv } from '../src/env.js';

const valid = {
  DATABASE_URL: 'postgres://todo:pw@localhost:5432/todo',
  JWT_SECRET: 'x'.repeat(40),
};

describe('task-api configuration', () => {
  it('applies defaults and picks the log format from NODE_ENV', () => {
    const env = loadEnv(valid);
    expect(env).toMatchObject({
      PORT: 8080,
      LOG_FORMAT: 'pretty',
      CORS_ORIGINS: [],
      DOCS_ENABLED: true,
    });
    expect(loadEnv({ ...valid, NODE_ENV: 'production' }).LOG_FORMAT).toBe('json');
  });

  it('defaults the rate limits and refuses ones that are not positive whole numbers', () => {
    expect(loadEnv(valid)).toMatchObject({
      AUTH_RATE_LIMIT_PER_MINUTE: 10,
      WRITE_RATE_LIMIT_PER_MINUTE: 300,
      PREVIEW_RATE_LIMIT_PER_MINUTE: 120,
    });
    expect(() =>
      loadEnv({
        ...valid,
        WRITE_RATE_LIMIT_PER_MINUTE: '0',
        PREVIEW_RATE_LIMIT_PER_MINUTE: 'lots',
      }),
    ).toThrow(
      /WRITE_RATE_LIMIT_PER_MINUTE[\s\S]*PREVIEW_RATE_LIMIT_PER_MINUTE|PREVIEW_RATE_LIMIT_PER_MINUTE[\s\S]*WRITE_RATE_LIMIT_PER_MINUTE/,
    );
  });

  it('defaults sessions to 15-minute access tokens, 30-day sessions and a Secure cookie', () => {
    expect(loadEnv(valid)).toMatchObject({
      ACCESS_TOKEN_TTL_SECONDS: 900,
      SESSION_TTL_SECONDS: 30 * 24 * 3600,
      REFRESH_COOKIE_SECURE: true,
    });
    expect(loadEnv({ ...valid, REFRESH_COOKIE_SECURE: 'false' }).REFRESH_COOKIE_SECURE).toBe(false);
  });

  it('refuses a refresh cookie without Secure in production', () => {
    expect(() =>
      loadEnv({ ...valid, NODE_ENV: 'production', REFRESH_COOKIE_SECURE: 'false' }),
    ).toThrow(/REFRESH_COOKIE_SECURE: may be false only outside production/);
  });

  it.each(['*', 'http://a.test/', 'http://a.test/app', 'a.test'])(
    'refuses %j among CORS origins (credentials are allowed for each)',
    (origin) => {
      expect(() => loadEnv({ ...valid, CORS_ORIGINS: `http://ok.test,${origin}` })).toThrow(
        /CORS_ORIGINS\.1/,
      );
    },
  );

  it('splits CORS origins', () => {
    expect(
      loadEnv({ ...valid, CORS_ORIGINS: 'http://a.test, http://b.test' }).CORS_ORIGINS,
    ).toEqual(['http://a.test', 'http://b.test']);
  });

  it('reports every bad variable with what to do', () => {
    try {
      loadEnv({
        DATABASE_URL: 'mysql://x',
        JWT_SECRET: 'short',
        PORT: 'eighty',
        DOCS_ENABLED: 'perhaps',
      });
      throw new Error('expected EnvError');
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      const message = (error as EnvError).message;
      for (const name of ['DATABASE_URL', 'JWT_SECRET', 'PORT', 'DOCS_ENABLED'])
        expect(message).toContain(name);
      expect(message).toContain('openssl rand');
    }
  });
});
