import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { runUntilExit, serveThenTerminate } from '@todo/service-runtime/testing';
import { freePort } from './support/free-port.js';

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
      // Its pool, named for it in pg_stat_activity, has connected (/readyz ran a query on it).
      whileServing: async () =>
        (
          await database.client<{ name: string }[]>`
            SELECT DISTINCT application_name AS name FROM pg_stat_activity
            WHERE datname = ${database.name} AND pid <> pg_backend_pid()
              AND application_name <> 'todo-test'`
        ).map((row) => row.name),
    });
    expect(run).toMatchObject({
      readyStatus: 200,
      probed: ['recurrence-engine'],
      exitCode: 0,
      listeningLine: {
        level: 'info',
        service: 'recurrence-engine',
        sidecarAuth: 'dapr-api-token required',
        maxDeliveryAttempts: 5,
      },
    });
    expect(run.output).toContain('shutdown complete');
  }, 30_000);

  it('serves its metrics on METRICS_PORT, apart from the API', async () => {
    const metricsPort = await freePort();
    const run = await serveThenTerminate({
      name: 'recurrence-engine',
      cwd: process.cwd(),
      env: {
        DATABASE_URL: database.url,
        APP_API_TOKEN: 'process-test-app-token-0123456789',
        NODE_ENV: 'production',
        METRICS_PORT: String(metricsPort),
      },
      whileServing: async (port) => {
        expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
        return (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      },
    });
    expect(run.exitCode).toBe(0);
    for (const outcome of ['success', 'retry', 'drop', 'dead_lettered']) {
      expect(run.probed).toContain(
        `recurrence_engine_events_handled_total{outcome="${outcome}"} 0`,
      );
    }
    expect(run.probed).toMatch(/^# TYPE recurrence_lag_seconds histogram$/m);
    expect(run.probed).toContain('outbox_events_pending{producer="recurrence-engine"} 0');
    expect(run.probed).toMatch(/^db_client_connection_max 10$/m);
  }, 30_000);

  it('refuses to start with bad configuration, naming each variable', async () => {
    const run = await runUntilExit(process.cwd(), { DATABASE_URL: 'nope', NODE_ENV: 'production' });
    expect(run.exitCode).toBe(2);
    expect(run.output).toContain('DATABASE_URL');
    expect(run.output).toContain('APP_API_TOKEN');
  }, 30_000);
});
