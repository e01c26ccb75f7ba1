import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { createDatabase, tasks, users } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

describe('createDatabase session settings', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('bounds every statement when given a statement timeout', async () => {
    const bounded = createDatabase(t.url, { max: 1, statementTimeoutMs: 300 });
    try {
      const [setting] = await bounded.client<
        { statement_timeout: string }[]
      >`SHOW statement_timeout`;
      expect(setting!.statement_timeout).toBe('300ms');
      const started = Date.now();
      await expect(bounded.client`SELECT pg_sleep(5)`).rejects.toMatchObject({ code: '57014' });
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await bounded.close();
    }
  });

  it('sets plan_cache_mode on every session when asked, and leaves the server default otherwise', async () => {
    const custom = createDatabase(t.url, { max: 2, planCacheMode: 'force_custom_plan' });
    const plain = createDatabase(t.url, { max: 1 });
    try {
      const modes = await Promise.all(
        [custom, custom, plain].map(async (connection) => {
          const [row] = await connection.client<{ plan_cache_mode: string }[]>`
            SHOW plan_cache_mode`;
          return row!.plan_cache_mode;
        }),
      );
      expect(modes).toEqual(['force_custom_plan', 'force_custom_plan', 'auto']);
    } finally {
      await custom.close();
      await plain.close();
    }
  });

  it('reads timestamps even where the server or database has another DateStyle', async () => {
    const admin = postgres(t.url, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`ALTER DATABASE "${t.name}" SET DateStyle = 'SQL, DMY'`);
    } finally {
      await admin.end();
    }
    const pinned = createDatabase(t.url, { max: 1 });
    try {
      const [user] = await pinned.db
        .insert(users)
        .values({ email: 'datestyle@example.com', passwordHash: 'x' })
        .returning();
      const [task] = await pinned.db
        .insert(tasks)
        .values({ userId: user!.id, title: 'x', dueAt: new Date('0001-02-03T04:05:06Z') })
        .returning();
      const [read] = await pinned.db.select().from(tasks).where(eq(tasks.id, task!.id));
      expect(read!.dueAt!.toISOString()).toBe('0001-02-03T04:05:06.000Z');
    } finally {
      await pinned.close();
    }
  });
});
