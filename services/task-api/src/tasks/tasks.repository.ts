import {
  and,
  arrayContains,
  asc,
  count,
  desc,
  eq,
  gte,
  ilike,
  inArray,
  lt,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import { insertGivenColumns, tasks, type Executor, type NewTaskRow, type TaskRow } from '@todo/db';
import { userTimezone } from '../users/user-timezone.js';
import type { ListTasksQuery } from './task.schemas.js';

/** Escapes LIKE wildcards so a search for `50%` finds the text "50%". */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const SORT_COLUMNS = {
  created_at: tasks.createdAt,
  updated_at: tasks.updatedAt,
  due_date: tasks.dueAt,
  priority: tasks.priority,
  title: tasks.title,
} as const;

function filters(userId: string, query: ListTasksQuery): SQL | undefined {
  const pattern = query.q ? likePattern(query.q) : undefined;
  return and(
    eq(tasks.userId, userId),
    query.status ? inArray(tasks.status, query.status) : undefined,
    query.priority ? inArray(tasks.priority, query.priority) : undefined,
    query.tag ? arrayContains(tasks.tags, query.tag) : undefined,
    query.due_before ? lt(tasks.dueAt, query.due_before) : undefined,
    query.due_after ? gte(tasks.dueAt, query.due_after) : undefined,
    pattern ? or(ilike(tasks.title, pattern), ilike(tasks.description, pattern)) : undefined,
  );
}

/** Every read and write is scoped to its owner: another user's id simply matches no row. */
export function createTasksRepository() {
  return {
    userTimezone,

    /** Names only the given columns: task-api's role may not write the engine's columns. */
    async insert(db: Executor, values: NewTaskRow): Promise<TaskRow> {
      return insertGivenColumns(db, tasks, values);
    },

    async find(db: Executor, userId: string, id: string): Promise<TaskRow | undefined> {
      const rows = await db
        .select()
        .from(tasks)
        .where(and(eq(tasks.id, id), eq(tasks.userId, userId)));
      return rows[0];
    },

    /** Locks the row so concurrent changes to one task apply one after the other. */
    async findForUpdate(db: Executor, userId: string, id: string): Promise<TaskRow | undefined> {
      const rows = await db
        .select()
        .from(tasks)
        .where(and(eq(tasks.id, id), eq(tasks.userId, userId)))
        .for('update');
      return rows[0];
    },

    async update(db: Executor, id: string, values: Partial<NewTaskRow>): Promise<TaskRow> {
      const rows = await db.update(tasks).set(values).where(eq(tasks.id, id)).returning();
      return rows[0]!;
    },

    async delete(db: Executor, userId: string, id: string): Promise<TaskRow | undefined> {
      const rows = await db
        .delete(tasks)
        .where(and(eq(tasks.id, id), eq(tasks.userId, userId)))
        .returning();
      return rows[0];
    },

    async list(
      db: Executor,
      userId: string,
      query: ListTasksQuery,
    ): Promise<{ rows: TaskRow[]; total: number }> {
      const where = filters(userId, query);
      const direction =
        query.order ?? (query.sort === 'due_date' || query.sort === 'title' ? 'asc' : 'desc');
      const column = SORT_COLUMNS[query.sort];
      // Tasks without a due date sort after dated ones in either direction; id breaks ties so
      // pages never overlap or skip.
      const primary =
        direction === 'asc' ? sql`${column} ASC NULLS LAST` : sql`${column} DESC NULLS LAST`;
      const tieBreak = direction === 'asc' ? asc(tasks.id) : desc(tasks.id);
      const [rows, totals] = await Promise.all([
        db
          .select()
          .from(tasks)
          .where(where)
          .orderBy(primary, tieBreak)
          .limit(query.limit)
          .offset(query.offset),
        db.select({ total: count() }).from(tasks).where(where),
      ]);
      return { rows, total: totals[0]?.total ?? 0 };
    },
  };
}

export type TasksRepository = ReturnType<typeof createTasksRepository>;
