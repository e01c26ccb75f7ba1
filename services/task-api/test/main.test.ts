import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { runUntilExit, serveThenTerminate } from '@todo/service-runtime/testing';

/** The real entry point as a process: configuration check, serving, and graceful shutdown. */
describe('task-api process', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('serves, then drains and exits 0 on SIGTERM, logging JSON in production', async () => {
    const run = await serveThenTerminate({
      name: 'task-api',
      cwd: process.cwd(),
      env: {
        DATABASE_URL: database.url,
        JWT_SECRET: 'process-test-secret-that-is-long-enough-0123',
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
      probed: ['task-api'],
      exitCode: 0,
      listeningLine: { level: 'info', service: 'task-api', docs: '/docs' },
    });
    expect(run.output).toContain('shutdown complete');
  }, 30_000);

  it('refuses to start with bad configuration, naming each variable', async () => {
    const run = await runUntilExit(process.cwd(), { DATABASE_URL: 'nope', JWT_SECRET: 'short' });
    expect(run.exitCode).toBe(2);
    expect(run.output).toContain('DATABASE_URL');
    expect(run.output).toContain('JWT_SECRET');
  }, 30_000);

  it('exits 1 with one line saying so when its port is taken', async () => {
    const holder = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => holder.once('listening', resolve));
    try {
      const run = await runUntilExit(process.cwd(), {
        DATABASE_URL: database.url,
        JWT_SECRET: 'process-test-secret-that-is-long-enough-0123',
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String((holder.address() as AddressInfo).port),
        METRICS_PORT: '0',
      });
      expect(run.exitCode).toBe(1);
      expect(run.output.split('task-api cannot listen')).toHaveLength(2);
      expect(run.output).toContain('EADDRINUSE');
      expect(run.output).not.toContain('task-api listening');
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  }, 30_000);
});
