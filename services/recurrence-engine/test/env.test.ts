import { describe, expect, it } from '@jest/globals';
import { EnvError } from '@todo/service-runtime';
import { loadEnv } from '../src/env.js';

const base = { DATABASE_URL: 'postgres://engine:pw@db:5432/todo' };

describe('recurrence-engine configuration', () => {
  it('defaults to port 8081 and no token in development', () => {
    const env = loadEnv(base);
    expect(env).toMatchObject({ PORT: 8081, LOG_FORMAT: 'pretty' });
    expect(env.APP_API_TOKEN).toBeUndefined();
  });

  it('requires the Dapr app token in production, saying where it comes from', () => {
    expect(() => loadEnv({ ...base, NODE_ENV: 'production' })).toThrow(/APP_API_TOKEN.*sidecar/);
    expect(
      loadEnv({ ...base, NODE_ENV: 'production', APP_API_TOKEN: 'a'.repeat(32) }).LOG_FORMAT,
    ).toBe('json');
  });

  it('bounds delivery attempts and statement time, with defaults', () => {
    expect(loadEnv(base)).toMatchObject({
      MAX_DELIVERY_ATTEMPTS: 5,
      DATABASE_STATEMENT_TIMEOUT_MS: 10_000,
    });
    expect(loadEnv({ ...base, MAX_DELIVERY_ATTEMPTS: '2' }).MAX_DELIVERY_ATTEMPTS).toBe(2);
    for (const bad of [
      { MAX_DELIVERY_ATTEMPTS: '0' },
      { MAX_DELIVERY_ATTEMPTS: '101' },
      { MAX_DELIVERY_ATTEMPTS: 'forever' },
      { DATABASE_STATEMENT_TIMEOUT_MS: '10' },
    ]) {
      expect(() => loadEnv({ ...base, ...bad })).toThrow(Object.keys(bad)[0]);
    }
  });

  it('keeps processed events two weeks by default, and never less than a day', () => {
    expect(loadEnv(base)).toMatchObject({
      PROCESSED_EVENTS_RETENTION_SECONDS: 14 * 86_400,
      PROCESSED_EVENTS_PRUNE_INTERVAL_SECONDS: 300,
      PROCESSED_EVENTS_PRUNE_BATCH_SIZE: 1000,
      OUTBOX_RETENTION_SECONDS: 7 * 86_400,
    });
    expect(() => loadEnv({ ...base, PROCESSED_EVENTS_RETENTION_SECONDS: '3600' })).toThrow(
      /PROCESSED_EVENTS_RETENTION_SECONDS.*outlast every redelivery/,
    );
    for (const bad of [
      { PROCESSED_EVENTS_PRUNE_BATCH_SIZE: '0' },
      { PROCESSED_EVENTS_PRUNE_INTERVAL_SECONDS: 'often' },
      { OUTBOX_RETENTION_SECONDS: '60' },
    ]) {
      expect(() => loadEnv({ ...base, ...bad })).toThrow(Object.keys(bad)[0]);
    }
  });

  it('names every bad variable', () => {
    try {
      loadEnv({ DATABASE_URL: 'http://x', PORT: '0', APP_API_TOKEN: 'short' });
      throw new Error('expected EnvError');
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      for (const name of ['DATABASE_URL', 'PORT', 'APP_API_TOKEN'])
        expect((error as EnvError).message).toContain(name);
    }
  });
});
