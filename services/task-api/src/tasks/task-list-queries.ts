import {
  and,
  arrayContains,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  gte,
  ilike,
  inArray,
  isNull,
  lt,
  or,
  sql,
  type SQL,
  type SQLWrapper,
} from 'drizzle-orm';
import { tasks, type Executor } from '@todo/db';
import type { ListCursor } from './task-list-cursor.js';
import { effectiveOrder, type SortOrder, type TaskSortField } from './task-list-sort.js';
import type { ListTasksQuery } from './task.schemas.js';

/**
 * The SQL of one list page. Each sort has an index in its exact order (packages/db schema.ts), so
 * a page, first or by cursor, is an index scan that stops after `limit` rows; the plan tests
 * (test/list-plans.test.ts) EXPLAIN what this module builds.
 */

/** The page's column holding each row's sort key as text (task-list-cursor.ts). */
export const SORT_KEY_COLUMN = 'sort_key';

/** `total` counts this many matching tasks at most unless the client asks for the exact count. */
export const TOTAL_COUNT_CAP = 1000;

/** Escapes LIKE wildcards so a search for `50%` finds the text "50%". */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const SORT_COLUMNS = {
  created_at: tasks.createdAt,
  updated_at: tasks.updatedAt,
  due_date: tasks.dueAt,
  priority: tasks.priority,
  title: tasks.title,
} as const;

/** How a cursor's key text is read back in SQL, so the comparison is the column's own. */
const KEY_TYPES: Record<TaskSortField, SQL> = {
  created_at: sql.raw('timestamptz'),
  updated_at: sql.raw('timestamptz'),
  due_date: sql.raw('timestamptz'),
  priority: sql.raw('task_priority'),
  title: sql.raw('text'),
};

/** Every microsecond PostgreSQL keeps, in UTC: the form task-list-cursor.ts validates. */
const instantText = (column: SQLWrapper) =>
  sql<string | null>`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function sortKeyText(sort: TaskSortField): SQL<string | null> {
  switch (sort) {
    case 'created_at':
      return instantText(tasks.createdAt);
    case 'updated_at':
      return instantText(tasks.updatedAt);
    case 'due_date':
      return instantText(tasks.dueAt);
    case 'priority':
      return sql<string>`${tasks.priority}::text`;
    case 'title':
      return sql<string>`${tasks.title}`;
  }
}

/**
 * The series' tasks by their ids: the root (whose series_id column is null, its series id being
 * its own id, as seriesIdOf reads it) and the tasks naming it, found by tasks_series_idx. Written
 * as `series_id = $1 OR id = $1`, PostgreSQL estimates the rows from the column's statistics and,
 * for a page in a sort's order, prefers that sort's index filtered for the series, which reads
 * every task of the user's created before (or after) the series. An id list from a subquery is
 * planned as a few rows, so the page fetches them by the primary key and sorts only those.
 */
const inSeries = (seriesId: string) =>
  sql`${tasks.id} = ANY(ARRAY(SELECT ${tasks.id} FROM ${tasks} WHERE ${tasks.seriesId} = ${seriesId}::uuid) || ${seriesId}::uuid)`;

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
    query.series_id ? inSeries(query.series_id) : undefined,
  );
}

/**
 * The sort, then id in the same direction, so the order is total (pages never overlap or skip)
 * and a backward scan of an ascending index serves the descending order. Tasks without a due
 * date come last in either direction, which is why due_date has an index per direction. The
 * other columns are NOT NULL, so they are written without NULLS LAST: PostgreSQL matches an
 * index by its nulls order even where no null can occur.
 */
function orderBy(sort: TaskSortField, order: SortOrder): SQL[] {
  const column = SORT_COLUMNS[sort];
  if (sort === 'due_date') {
    return order === 'asc'
      ? [sql`${column} ASC NULLS LAST`, asc(tasks.id)]
      : [sql`${column} DESC NULLS LAST`, desc(tasks.id)];
  }
  return order === 'asc' ? [asc(column), asc(tasks.id)] : [desc(column), desc(tasks.id)];
}

/**
 * The tasks after the cursor's, as a condition the index scan starts from: a row comparison on
 * (sort key, id). Past an undated task, the rest are the undated ones after it by id. Past a dated
 * one, the undated ones follow too, but `(row) > (…) OR due_at IS NULL` cannot bound an index
 * scan, so they are a second query (`undatedPage`) the repository runs when this one comes short.
 */
function after(cursor: ListCursor): SQL {
  const comparison = sql.raw(cursor.order === 'asc' ? '>' : '<');
  if (cursor.sort === 'due_date' && cursor.key === null) {
    return sql`${tasks.dueAt} IS NULL AND ${tasks.id} ${comparison} ${cursor.id}::uuid`;
  }
  const column = SORT_COLUMNS[cursor.sort];
  return sql`(${column}, ${tasks.id}) ${comparison} (${cursor.key}::${KEY_TYPES[cursor.sort]}, ${cursor.id}::uuid)`;
}

/** The queries behind one `GET /api/tasks`, built but not run. */
export function listTaskQueries(db: Executor, userId: string, query: ListTasksQuery) {
  const order = effectiveOrder(query.sort, query.order);
  const where = filters(userId, query);
  // One row more than the page tells whether there is a next page.
  const rowsWanted = query.limit + 1;
  // Aliased: the repository reads the page's raw rows by column name (rowReader, @todo/db).
  const select = (condition: SQL | undefined) =>
    db
      .select({ ...getTableColumns(tasks), sortKey: sortKeyText(query.sort).as(SORT_KEY_COLUMN) })
      .from(tasks)
      .where(and(where, condition))
      .orderBy(...orderBy(query.sort, order));

  const { cursor } = query;
  const page = select(cursor ? after(cursor) : undefined)
    .limit(rowsWanted)
    .offset(query.offset);
  // A due-date filter already leaves the undated tasks out.
  const undatedFollow =
    cursor?.sort === 'due_date' &&
    cursor.key !== null &&
    query.due_before === undefined &&
    query.due_after === undefined;
  const undatedPage = undatedFollow
    ? (limit: number) => select(isNull(tasks.dueAt)).limit(limit)
    : undefined;

  // The exact count reads every matching task. The capped one reads at most TOTAL_COUNT_CAP + 1,
  // in the page's order, so it takes the page's index path: unordered, a user holding most of
  // the table gets a sequential scan, which stops at the limit only if the first heap pages
  // happen to hold enough of their matching tasks.
  const total = query.include_total
    ? db.select({ total: count() }).from(tasks).where(where)
    : db.select({ total: count() }).from(
        db
          .select({ one: sql`1` })
          .from(tasks)
          .where(where)
          .orderBy(...orderBy(query.sort, order))
          .limit(TOTAL_COUNT_CAP + 1)
          .as('matching'),
      );

  return { page, undatedPage, rowsWanted, total };
}
