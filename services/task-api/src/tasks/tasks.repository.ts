import { and, eq } from 'drizzle-orm';
import {
  insertGivenColumns,
  queryRows,
  queryValues,
  TASK_SEARCH_ONLY_COLUMNS,
  taskColumns,
  tasks,
  valuesReader,
  type Database,
  type Executor,
  type NewTaskRow,
  type RenderedQuery,
  type TaskRow,
} from '@todo/db';
import { userTimezone } from '../users/user-timezone.js';
import { listTaskQueries, SORT_KEY_COLUMN, TOTAL_COUNT_CAP } from './task-list-queries.js';
import type { ListTasksQuery } from './task.schemas.js';

/** A listed task with its sort key as text, which the next page's cursor starts after. */
export type ListedTask = TaskRow & { sortKey: string | null };

export interface TaskListPage {
  rows: ListedTask[];
  /** Whether tasks follow the last row. */
  more: boolean;
  total: number;
  totalCapped: boolean;
}

const readListedTasks = valuesReader(tasks, TASK_SEARCH_ONLY_COLUMNS, {
  sortKey: SORT_KEY_COLUMN,
});

/**
 * A list page's rows, run as arrays and read by valuesReader rather than by drizzle's select
 * mapping, which cost a tenth of task-api's CPU per page, and rather than as objects, which
 * doubled what the driver allocated per row (packages/bench README, "List" and "Memory").
 */
async function readListed(db: Database, page: RenderedQuery): Promise<ListedTask[]> {
  return readListedTasks(await queryValues(db, page)) as ListedTask[];
}

/** Every read and write is scoped to its owner: another user's id simply matches no row. */
export function createTasksRepository() {
  return {
    userTimezone,

    /** Names only the given columns: task-api's role may not write the engine's columns. */
    async insert(db: Executor, values: NewTaskRow): Promise<TaskRow> {
      return insertGivenColumns(db, tasks, values, TASK_SEARCH_ONLY_COLUMNS);
    },

    async find(db: Executor, userId: string, id: string): Promise<TaskRow | undefined> {
      const rows = await db
        .select(taskColumns)
        .from(tasks)
        .where(and(eq(tasks.id, id), eq(tasks.userId, userId)));
      return rows[0];
    },

    /** Locks the row so concurrent changes to one task apply one after the other. */
    async findForUpdate(db: Executor, userId: string, id: string): Promise<TaskRow | undefined> {
      const rows = await db
        .select(taskColumns)
        .from(tasks)
        .where(and(eq(tasks.id, id), eq(tasks.userId, userId)))
        .for('update');
      return rows[0];
    },

    async update(db: Executor, id: string, values: Partial<NewTaskRow>): Promise<TaskRow> {
      const rows = await db
        .update(tasks)
        .set(values)
        .where(eq(tasks.id, id))
        .returning(taskColumns);
      return rows[0]!;
    },

    async delete(db: Executor, userId: string, id: string): Promise<TaskRow | undefined> {
      const rows = await db
        .delete(tasks)
        .where(and(eq(tasks.id, id), eq(tasks.userId, userId)))
        .returning(taskColumns);
      return rows[0];
    },

    /**
     * Page and total on the pool as it is: planned for this user's own numbers by the pool's
     * plan_cache_mode (task-database.ts), without a transaction of its own.
     */
    async list(db: Database, userId: string, query: ListTasksQuery): Promise<TaskListPage> {
      const built = listTaskQueries(userId, query);
      const [rows, totals] = await Promise.all([
        readListed(db, built.page),
        queryRows(db, built.total),
      ]);
      if (built.undatedPage && rows.length < built.rowsWanted) {
        rows.push(...(await readListed(db, built.undatedPage(built.rowsWanted - rows.length))));
      }
      // count(*) is a bigint, which the driver gives as text. A count always answers one row.
      const total = totals[0]?.total;
      if (total === undefined) throw new Error('the list count returned no total column');
      const counted = Number(total);
      const totalCapped = !query.include_total && counted > TOTAL_COUNT_CAP;
      return {
        rows: rows.slice(0, query.limit),
        more: rows.length > query.limit,
        total: totalCapped ? TOTAL_COUNT_CAP : counted,
        totalCapped,
      };
    },
  };
}

export type TasksRepository = ReturnType<typeof createTasksRepository>;
