import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq, sql } from 'drizzle-orm';
import {
  outbox,
  rowReader,
  TASK_SEARCH_ONLY_COLUMNS,
  taskColumnList,
  taskColumns,
  tasks,
} from '../src/index.js';
import { type TestDatabase } from '../src/testing/index.js';
import { createDatabaseWithUser } from './support/database-with-user.js';

/** rowReader against drizzle's own select of the same rows: every column, set and NULL. */
describe('rowReader', () => {
  let t: TestDatabase;
  let userId: string;

  beforeAll(async () => {
    ({ t, userId } = await createDatabaseWithUser('rows@example.com'));
  });
  afterAll(async () => {
    await t.drop();
  });

  const raw = async (query: ReturnType<typeof sql>) =>
    (await t.db.execute(query)) as unknown as Array<Record<string, unknown>>;

  it('reads a task with every column set as drizzle does', async () => {
    const [parent] = await t.db.insert(tasks).values({ userId, title: 'parent' }).returning();
    const [task] = await t.db
      .insert(tasks)
      .values({
        userId,
        title: 'Weekly review',
        description: 'with "quotes", commas and {braces}',
        priority: 'high',
        status: 'done',
        tags: ['work', 'a,b', 'with "quote"'],
        dueAt: new Date('0001-03-01T12:00:00.000Z'),
        completedAt: new Date('2026-03-02T10:30:00.123Z'),
        recurrenceRule: 'FREQ=WEEKLY',
        recurrenceTimezone: 'Europe/Paris',
        recurrenceAnchor: 'due',
        recurrenceOverdue: 'skip',
        recurrenceDtstart: new Date('2026-03-02T09:00:00.000Z'),
        occurrenceIndex: 3,
        parentTaskId: parent!.id,
        seriesId: parent!.id,
      })
      .returning();
    const [read] = await raw(sql`SELECT * FROM tasks WHERE id = ${task!.id}`);
    const [selected] = await t.db.select().from(tasks).where(eq(tasks.id, task!.id));
    expect(rowReader(tasks)(read!)).toEqual(selected);
    expect(selected!.tags).toEqual(['work', 'a,b', 'with "quote"']);
  });

  it('reads NULL as null, and jsonb as its value', async () => {
    const [task] = await t.db.insert(tasks).values({ userId, title: 'bare' }).returning();
    const [read] = await raw(sql`SELECT * FROM tasks WHERE id = ${task!.id}`);
    const [selected] = await t.db.select().from(tasks).where(eq(tasks.id, task!.id));
    expect(rowReader(tasks)(read!)).toEqual(selected);
    expect(selected!.dueAt).toBeNull();

    const [row] = await t.db
      .insert(outbox)
      .values({
        eventId: crypto.randomUUID(),
        producer: 'test',
        aggregateId: task!.id,
        type: 'com.todo.task.created',
        payload: { nested: { list: [1, 'two'] } },
      })
      .returning();
    const [outboxRaw] = await raw(sql`SELECT * FROM outbox WHERE event_id = ${row!.eventId}`);
    const [outboxSelected] = await t.db
      .select()
      .from(outbox)
      .where(eq(outbox.eventId, row!.eventId));
    expect(rowReader(outbox)(outboxRaw!)).toEqual(outboxSelected);
  });

  it('reads a task without the search-only columns when told to leave them out', async () => {
    const [task] = await t.db.insert(tasks).values({ userId, title: 'Folded' }).returning();
    expect(task!.titleFolded).toBe('folded');
    const [read] = await raw(sql`SELECT ${taskColumnList} FROM tasks WHERE id = ${task!.id}`);
    expect(Object.keys(read!)).not.toContain('title_folded');
    const [selected] = await t.db.select(taskColumns).from(tasks).where(eq(tasks.id, task!.id));
    const reader = rowReader(tasks, TASK_SEARCH_ONLY_COLUMNS);
    expect(reader(read!)).toEqual(selected);
    expect(Object.keys(selected!)).not.toContain('descriptionFolded');
    expect(() => rowReader(tasks)(read!)).toThrow(/no column title_folded/);
  });

  it('refuses a row that lacks a column rather than reading it as null', async () => {
    const [task] = await t.db.insert(tasks).values({ userId, title: 'partial' }).returning();
    const [read] = await raw(sql`SELECT id, title FROM tasks WHERE id = ${task!.id}`);
    expect(() => rowReader(tasks)(read!)).toThrow(/no column user_id/);
  });
});
