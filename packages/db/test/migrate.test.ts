import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import postgres from 'postgres';
import { runMigrations } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

describe('runMigrations', () => {
  let empty: TestDatabase;

  beforeAll(async () => {
    // A clone of the migrated template, emptied of every object, stands in for a new database.
    empty = await createTestDatabase();
    await empty.client.unsafe(
      'DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS drizzle CASCADE;',
    );
  });
  afterAll(async () => {
    await empty.drop();
  });

  it('applies every migration once when several replicas start at the same time', async () => {
    await Promise.all([
      runMigrations(empty.url),
      runMigrations(empty.url),
      runMigrations(empty.url),
    ]);

    const sql = postgres(empty.url, { max: 1 });
    try {
      const tables = await sql<{ table_name: string }[]>`
        SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' ORDER BY table_name`;
      expect(tables.map((t) => t.table_name)).toEqual([
        'auth_sessions',
        'delivery_attempts',
        'outbox',
        'parked_events',
        'processed_events',
        'rate_limit_hits',
        'refresh_tokens',
        'task_changes',
        'task_tags',
        'tasks',
        'users',
      ]);
      // Counters need no crash safety: the table skips the WAL (drizzle cannot declare that).
      const [rateLimits] = await sql<{ relpersistence: string }[]>`
        SELECT relpersistence FROM pg_class WHERE relname = 'rate_limit_hits'`;
      expect(rateLimits!.relpersistence).toBe('u');
      const applied = await sql<
        { n: number }[]
      >`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`;
      const again = await runMigrations(empty.url).then(
        () => sql<{ n: number }[]>`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`,
      );
      expect(applied[0]!.n).toBeGreaterThanOrEqual(2);
      expect(again[0]!.n).toBe(applied[0]!.n);
    } finally {
      await sql.end();
    }
  });
});
