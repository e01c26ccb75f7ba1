import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { preparingStatements } from '../src/prepare-statements.js';
import { tasks } from '../src/index.js';
import { type TestDatabase } from '../src/testing/index.js';
import { createDatabaseWithUser } from './support/database-with-user.js';

/** Named statements this connection has prepared (unnamed ones are not listed). */
const preparedOnConnection = sql`SELECT statement FROM pg_prepared_statements WHERE NOT from_sql`;

describe('drizzle queries run as prepared statements', () => {
  let t: TestDatabase;
  let userId: string;

  beforeAll(async () => {
    ({ t, userId } = await createDatabaseWithUser('prepared@example.com'));
  });
  afterAll(async () => {
    await t.drop();
  });

  it('prepares a parameterised select once per connection and reuses it', async () => {
    const statements = await t.db.transaction(async (tx) => {
      for (let i = 0; i < 3; i++)
        await tx.select({ id: tasks.id }).from(tasks).where(eq(tasks.userId, userId));
      return (await tx.execute(preparedOnConnection)).map((r) => String(r.statement));
    });
    const selects = statements.filter((s) =>
      s.includes('from "tasks" where "tasks"."user_id" = $1'),
    );
    expect(selects).toHaveLength(1);
  });

  it('still returns correct rows and values through the prepared path', async () => {
    await t.db.insert(tasks).values({ userId, title: 'first' });
    await t.db.insert(tasks).values({ userId, title: 'second' });
    for (let i = 0; i < 2; i++) {
      const rows = await t.db
        .select({ title: tasks.title })
        .from(tasks)
        .where(eq(tasks.userId, userId))
        .orderBy(tasks.title);
      expect(rows.map((r) => r.title)).toEqual(['first', 'second']);
    }
  });

  it('rolls back a transaction whose statements were prepared', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await tx.insert(tasks).values({ userId, title: 'rolled back' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const rows = await t.db.select().from(tasks).where(eq(tasks.title, 'rolled back'));
    expect(rows).toHaveLength(0);
  });

  it('prepares at most a bounded number of distinct texts, running the rest unprepared', async () => {
    const client = postgres(t.url, { max: 1, onnotice: () => {} });
    try {
      const db = drizzle(preparingStatements(client, 3));
      const statements = await db.transaction(async (tx) => {
        for (let i = 0; i < 6; i++) {
          // Six distinct texts (the column alias differs), each with a parameter.
          const [row] = await tx.execute<{ n: number }>(
            sql`SELECT ${i}::int AS ${sql.identifier(`n${i}`)}`,
          );
          expect(Object.values(row!)).toEqual([i]);
        }
        return tx.execute(preparedOnConnection);
      });
      // (postgres.js prepares its own type lookup too; only ours count.)
      const ours = statements.filter((r) => String(r.statement).startsWith('SELECT $1::int AS'));
      expect(ours).toHaveLength(3);
    } finally {
      await client.end();
    }
  });
});
