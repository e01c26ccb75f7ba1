import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq, sql, type SQL } from 'drizzle-orm';
import {
  createDatabase,
  fillQuery,
  outbox,
  QueryError,
  queryRows,
  queryValues,
  rowReader,
  statementTemplate,
  TASK_SEARCH_ONLY_COLUMNS,
  taskColumnList,
  taskColumns,
  tasks,
  valuesReader,
  type RenderedQuery,
} from '../src/index.js';
import { type TestDatabase } from '../src/testing/index.js';
import { createDatabaseWithUser } from './support/database-with-user.js';

/** A task with every column set (text that needs quoting in arrays), and its parent, bare. */
async function insertTaskWithEveryColumn(t: TestDatabase, userId: string) {
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
  return { parent: parent!, task: task! };
}

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
    const { task } = await insertTaskWithEveryColumn(t, userId);
    const [read] = await raw(sql`SELECT * FROM tasks WHERE id = ${task.id}`);
    const [selected] = await t.db.select().from(tasks).where(eq(tasks.id, task.id));
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

/** valuesReader against drizzle's select of the same rows, read from postgres.js's arrays. */
describe('valuesReader, queryValues and queryRows', () => {
  let t: TestDatabase;
  let userId: string;
  let full: string;
  let bare: string;

  beforeAll(async () => {
    ({ t, userId } = await createDatabaseWithUser('values@example.com'));
    const { parent, task } = await insertTaskWithEveryColumn(t, userId);
    full = task.id;
    bare = parent.id;
  });
  afterAll(async () => {
    await t.drop();
  });

  const selected = async (id: string) =>
    (await t.db.select(taskColumns).from(tasks).where(eq(tasks.id, id)))[0]!;
  /** A statement as task-api's are made: drizzle's placeholders, rendered and filled. */
  const filled = (statement: SQL, values: Record<string, unknown> = {}): RenderedQuery =>
    fillQuery(statementTemplate(statement), values);
  const byId = (columns: string, id: string, extra = `, id::text || '!' AS extra`) =>
    filled(sql`SELECT ${sql.raw(columns + extra)} FROM tasks WHERE id = ${sql.placeholder('id')}`, {
      id,
    });
  const names = Object.values(taskColumns).map((column) => `"${column.name}"`);

  it.each([
    ['every column set', () => full],
    ['NULLs', () => bare],
  ])('reads a task with %s as drizzle does, and carries the extra column', async (_, id) => {
    const read = valuesReader(tasks, TASK_SEARCH_ONLY_COLUMNS, { marker: 'extra' });
    // Also in reverse: the reader goes by each column's name in the result, not its place.
    for (const columns of [names, [...names].reverse()]) {
      const result = await queryValues(t.db, byId(columns.join(', '), id()));
      expect(Array.isArray(result[0])).toBe(true);
      const [row] = read(result);
      const { marker, ...rest } = row!;
      expect(rest).toEqual(await selected(id()));
      expect(marker).toBe(`${id()}!`);
    }
  });

  it('refuses a result that lacks a column, or the extra one, naming it', async () => {
    const withoutUser = names.filter((name) => name !== '"user_id"').join(', ');
    const result = await queryValues(t.db, byId(withoutUser, full));
    expect(() => valuesReader(tasks, TASK_SEARCH_ONLY_COLUMNS)(result)).toThrow(
      /no column user_id/,
    );
    const plain = await queryValues(t.db, byId(names.join(', '), full, ''));
    expect(() => valuesReader(tasks, TASK_SEARCH_ONLY_COLUMNS, { marker: 'extra' })(plain)).toThrow(
      /no column extra/,
    );
    expect(valuesReader(tasks, TASK_SEARCH_ONLY_COLUMNS)(plain)).toHaveLength(1);
  });

  it('names a failed statement, not its values, and keeps the driver’s error as its cause', async () => {
    const query = filled(sql`SELECT 1 / ${sql.placeholder('zero')}::int AS quotient`, { zero: 0 });
    for (const run of [queryRows, queryValues]) {
      const failure = await run(t.db, query).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(QueryError);
      expect((failure as QueryError).message).toBe(`Failed query: ${query.sql}`);
      expect((failure as QueryError).cause).toMatchObject({ code: '22012' });
    }
  });

  it('runs on the client drizzle runs on, prepared as drizzle’s queries are', async () => {
    const sent: string[] = [];
    const connection = createDatabase(t.url, {
      max: 1,
      instrument: (client) =>
        new Proxy(client, {
          get(target, property, receiver) {
            const value: unknown = Reflect.get(target, property, receiver);
            if (property !== 'unsafe' || typeof value !== 'function') return value;
            return (text: string, ...rest: unknown[]) => {
              sent.push(text);
              return (value as (...a: unknown[]) => unknown).apply(target, [text, ...rest]);
            };
          },
        }),
    });
    try {
      const query = byId(names.join(', '), full);
      for (let i = 0; i < 2; i++) {
        expect(await queryRows(connection.db, query)).toHaveLength(1);
        expect(await queryValues(connection.db, query)).toHaveLength(1);
      }
      expect(sent.filter((text) => text === query.sql)).toHaveLength(4);
      const prepared = await connection.client`
        SELECT statement FROM pg_prepared_statements WHERE NOT from_sql`;
      expect(prepared.filter((row) => row.statement === query.sql)).toHaveLength(1);
    } finally {
      await connection.close();
    }
  });
});
