import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq } from 'drizzle-orm';
import { tasks, users } from '../src/index.js';
import { type TestDatabase } from '../src/testing/index.js';
import { createDatabaseWithUser } from './support/database-with-user.js';

describe('schema constraints', () => {
  let t: TestDatabase;
  let userId: string;

  beforeAll(async () => {
    ({ t, userId } = await createDatabaseWithUser('schema@example.com'));
  });
  afterAll(async () => {
    await t.drop();
  });

  it('allows at most one child per parent task', async () => {
    const [parent] = await t.db.insert(tasks).values({ userId, title: 'parent' }).returning();
    await t.db.insert(tasks).values({ userId, title: 'child', parentTaskId: parent!.id });
    await expect(
      t.db.insert(tasks).values({ userId, title: 'second child', parentTaskId: parent!.id }),
    ).rejects.toMatchObject({ cause: { constraint_name: 'tasks_one_child_per_parent_key' } });
  });

  it('rejects a done task without completed_at, and completed_at on an open task', async () => {
    await expect(
      t.db.insert(tasks).values({ userId, title: 'x', status: 'done' }),
    ).rejects.toMatchObject({ cause: { constraint_name: 'tasks_done_has_completed_at' } });
    await expect(
      t.db.insert(tasks).values({ userId, title: 'x', status: 'pending', completedAt: new Date() }),
    ).rejects.toMatchObject({ cause: { constraint_name: 'tasks_done_has_completed_at' } });
  });

  it('rejects a half-specified recurrence', async () => {
    await expect(
      t.db.insert(tasks).values({ userId, title: 'x', recurrenceRule: 'FREQ=DAILY' }),
    ).rejects.toMatchObject({ cause: { constraint_name: 'tasks_recurrence_complete' } });
  });

  it('keeps emails unique', async () => {
    await expect(
      t.db.insert(users).values({ email: 'schema@example.com', passwordHash: 'y' }),
    ).rejects.toMatchObject({ cause: { constraint_name: 'users_email_key' } });
  });

  it('orders priorities low < medium < high', async () => {
    const owner = (
      await t.db.insert(users).values({ email: 'order@example.com', passwordHash: 'x' }).returning()
    )[0]!.id;
    await t.db.insert(tasks).values([
      { userId: owner, title: 'h', priority: 'high' },
      { userId: owner, title: 'l', priority: 'low' },
      { userId: owner, title: 'm', priority: 'medium' },
    ]);
    const rows = await t.db
      .select({ priority: tasks.priority })
      .from(tasks)
      .where(eq(tasks.userId, owner))
      .orderBy(tasks.priority);
    expect(rows.map((r) => r.priority)).toEqual(['low', 'medium', 'high']);
  });
});
