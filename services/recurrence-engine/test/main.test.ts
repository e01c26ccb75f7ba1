import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { runUntilExit, serveThenTerminate } from '@todo/service-runtime/testing';

/** The real entry point as a process: configuration check, serving, and graceful shutdown. */
describe('recurrence-engine process', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('serves, then drains and exits 0 on SIGTERM, logging JSON in production', async () => {
    const run = await serveThenTerminate({
      name: 'recurrence-engine',
      cwd: process.cwd(),
      env: {
        DATABASE_URL: database.url,
        APP_API_TOKEN: 'process-test-app-token-0123456789',
        NODE_ENV: 'production',
      },
    });
    expect(run).toMatchObject({
      readyStatus: 200,
      exitCode: 0,
      listeningLine: { level: 'info', service: 'recurrence-engine' },
    });
    expect(run.output).toContain('shutdown complete');
  }, 30_000);

  it('refuses to start with bad configuration, naming each variable', async () => {
    const run = await runUntilExit(process.cwd(), { DATABASE_URL: 'nope', NODE_ENV: 'production' });
    expect(run.exitCode).toBe(2);
    expect(run.output).toContain('DATABASE_URL');
    expect(run.output).toContain('APP_API_TOKEN');
  }, 30_000);
});
