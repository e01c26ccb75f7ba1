import {
  and,
  asc,
  count,
  desc,
  eq,
  gte,
  inArray,
  isNull,
  like,
  lt,
  or,
  sql,
  type SQL,
  type SQLWrapper,
} from 'drizzle-orm';
import { QueryBuilder } from 'drizzle-orm/pg-core';
import { LRUCache } from 'lru-cache';
import { fillQuery, statementTemplate, taskColumns, tasks, type StatementTemplate } from '@todo/db';
import { effectiveOrder, type SortOrder, type TaskSortField } from './task-list-sort.js';
import type { ListTasksQuery } from './task.schemas.js';

/**
 * The SQL of one list page. Each sort has an index in its exact order (packages/db schema.ts), so
 * a page, first or by cursor, is an index scan that stops after `limit` rows; the plan tests
 * (test/list-plans.test.ts) EXPLAIN what this module builds. The statements are built by drizzle
 * once per shape (sort, order, which filters) with placeholders, and each request fills in its
 * values (statementTemplate, @todo/db): building them per request was 8% of task-api's CPU per page.
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

/** The placeholders the list's statements are built with; listTaskQueries gives each its value. */
const slot = (name: string) => sql.placeholder(name);
const slots = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => slot(`${prefix}${i}`));

/**
 * Values sent as their column's driver value, as drizzle binds a value compared with a column.
 * The others (ids, enum labels, the pattern, numbers) are sent as they are.
 */
const ENCODERS = {
  userId: tasks.userId,
  tags: tasks.tags,
  dueBefore: tasks.dueAt,
  dueAfter: tasks.dueAt,
} as const;

/**
 * The series' tasks by their ids: the root (whose series_id column is null, its series id being
 * its own id, as seriesIdOf reads it) and the tasks naming it, found by tasks_series_idx. Written
 * as `series_id = $1 OR id = $1`, PostgreSQL estimates the rows from the column's statistics and,
 * for a page in a sort's order, prefers that sort's index filtered for the series, which reads
 * every task of the user's created before (or after) the series. An id list from a subquery is
 * planned as a few rows, so the page fetches them by the primary key and sorts only those.
 */
const inSeries = () =>
  sql`${tasks.id} = ANY(ARRAY(SELECT ${tasks.id} FROM ${tasks} WHERE ${tasks.seriesId} = ${slot('seriesId')}::uuid) || ${slot('seriesId')}::uuid)`;

/** What decides a list statement's text; the values are filled in per request. */
interface ListShape {
  sort: TaskSortField;
  order: SortOrder;
  statuses: number;
  priorities: number;
  tag: boolean;
  /** One tag and no other filter: the count reads task_tags alone. */
  tagOnly: boolean;
  dueBefore: boolean;
  dueAfter: boolean;
  q: boolean;
  series: boolean;
  /** A cursor past a dated task (or any other sort's key), past an undated one, or none. */
  cursor: 'keyed' | 'undated' | 'none';
  /** Whether a cursor in due-date order continues with the undated tasks (a second statement). */
  undatedFollow: boolean;
  exactTotal: boolean;
}

/**
 * The search pattern lowercased by PostgreSQL, as the folded copies were (schema.ts): their case-
 * sensitive LIKE answers as ILIKE on the text would (which lowercases both sides for every row it
 * checks), and JavaScript's toLowerCase differs from PostgreSQL's lower() (İ, final sigma).
 * Planned per request (plan_cache_mode, task-database.ts), lower() of the value is computed once,
 * when the statement is planned, and the trigram indexes see the lowered pattern.
 */
const folded = sql`lower(${slot('pattern')})`;

function filters(shape: ListShape): SQL | undefined {
  return and(
    eq(tasks.userId, slot('userId')),
    shape.statuses ? inArray(tasks.status, slots('status', shape.statuses)) : undefined,
    shape.priorities ? inArray(tasks.priority, slots('priority', shape.priorities)) : undefined,
    shape.tag ? sql`${tasks.tags} @> ${slot('tags')}` : undefined,
    shape.dueBefore ? lt(tasks.dueAt, slot('dueBefore')) : undefined,
    shape.dueAfter ? gte(tasks.dueAt, slot('dueAfter')) : undefined,
    shape.q
      ? or(like(tasks.titleFolded, folded), like(tasks.descriptionFolded, folded))
      : undefined,
    shape.series ? inSeries() : undefined,
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
function after(shape: ListShape): SQL {
  const comparison = sql.raw(shape.order === 'asc' ? '>' : '<');
  if (shape.cursor === 'undated') {
    return sql`${tasks.dueAt} IS NULL AND ${tasks.id} ${comparison} ${slot('cursorId')}::uuid`;
  }
  const column = SORT_COLUMNS[shape.sort];
  return sql`(${column}, ${tasks.id}) ${comparison} (${slot('cursorKey')}::${KEY_TYPES[shape.sort]}, ${slot('cursorId')}::uuid)`;
}

interface ListTemplates {
  page: StatementTemplate;
  undatedPage: StatementTemplate | undefined;
  total: StatementTemplate;
}

/**
 * The statement behind `total`. The exact count reads every matching task. The capped one reads at
 * most TOTAL_COUNT_CAP + 1 in an index's order, whatever the page's sort. With filters on status,
 * priority and due_at only, that is tasks_user_filters_idx (user, status, priority, due_at): an
 * index-only scan of the matching entries (12 tasks fetched per counted one for a status and a
 * priority, in the sort's order). A tag, a text search or a series needs each task's row, so those
 * count in creation order, the order the table's rows were written in: in the filters' order the
 * same fetches were scattered over the table (7.7 ms instead of 2.4 for a tag of 200,000 tasks).
 * Unordered, a user holding most of the table gets a sequential scan, which stops at the limit
 * only if the first heap pages happen to hold enough of their matching tasks.
 */
function totalStatement(shape: ListShape, where: SQL | undefined): SQLWrapper {
  const qb = new QueryBuilder();
  // A tag and nothing else: its tasks are the user's rows of task_tags under that tag, counted
  // from its primary key (user, tag, task) alone by count_tagged_tasks (migration 0018, which
  // says why it is a function). In creation order over tasks, the count read ten tasks per
  // counted one for a tag on one task in ten (2.4 ms at 200,000 tasks, against 0.3).
  if (shape.tagOnly) {
    const cap = shape.exactTotal ? sql`NULL` : sql`${slot('countCap')}::bigint`;
    return sql`SELECT count_tagged_tasks(${slot('userId')}::uuid, ${slot('tag0')}, ${cap}) AS "total"`;
  }
  const counted = qb.select({ total: count().as('total') });
  if (shape.exactTotal) return counted.from(tasks).where(where);
  const countOrder =
    shape.tag || shape.q || shape.series
      ? [desc(tasks.createdAt), desc(tasks.id)]
      : [asc(tasks.status), asc(tasks.priority), asc(tasks.dueAt)];
  return counted.from(
    qb
      .select({ one: sql`1` })
      .from(tasks)
      .where(where)
      .orderBy(...countOrder)
      .limit(slot('countCap'))
      .as('matching'),
  );
}

/** Built with drizzle once per shape; no value of a request is in them (statementTemplate). */
function listTemplates(shape: ListShape): ListTemplates {
  const qb = new QueryBuilder();
  const where = filters(shape);
  const select = (condition: SQL | undefined) =>
    qb
      // Aliased: the repository reads the page's raw rows by column name (rowReader, @todo/db).
      .select({ ...taskColumns, sortKey: sortKeyText(shape.sort).as(SORT_KEY_COLUMN) })
      .from(tasks)
      .where(and(where, condition))
      .orderBy(...orderBy(shape.sort, shape.order));
  const page = select(shape.cursor === 'none' ? undefined : after(shape))
    .limit(slot('limit'))
    .offset(slot('offset'));
  const undatedPage = shape.undatedFollow
    ? select(isNull(tasks.dueAt)).limit(slot('undatedLimit'))
    : undefined;
  return {
    page: statementTemplate(page),
    undatedPage: undatedPage && statementTemplate(undatedPage),
    total: statementTemplate(totalStatement(shape, where)),
  };
}

/**
 * Shapes seen recently. A request can pick among tens of thousands of shapes (sorts × filters ×
 * list lengths), so the cache is bounded; a shape it dropped is built again, as every shape was
 * before it existed.
 */
const TEMPLATES = new LRUCache<string, ListTemplates>({ max: 256 });

function shapeOf(query: ListTasksQuery): ListShape {
  const order = effectiveOrder(query.sort, query.order);
  const { cursor } = query;
  return {
    sort: query.sort,
    order,
    statuses: query.status?.length ?? 0,
    priorities: query.priority?.length ?? 0,
    tag: query.tag !== undefined,
    tagOnly:
      query.tag?.length === 1 &&
      !query.status?.length &&
      !query.priority?.length &&
      query.due_before === undefined &&
      query.due_after === undefined &&
      query.q === undefined &&
      query.series_id === undefined,
    dueBefore: query.due_before !== undefined,
    dueAfter: query.due_after !== undefined,
    q: query.q !== undefined,
    series: query.series_id !== undefined,
    cursor: !cursor
      ? 'none'
      : cursor.sort === 'due_date' && cursor.key === null
        ? 'undated'
        : 'keyed',
    // A due-date filter already leaves the undated tasks out.
    undatedFollow:
      cursor?.sort === 'due_date' &&
      cursor.key !== null &&
      query.due_before === undefined &&
      query.due_after === undefined,
    exactTotal: query.include_total === true,
  };
}

/** The queries behind one `GET /api/tasks`, built but not run. */
export function listTaskQueries(userId: string, query: ListTasksQuery) {
  const shape = shapeOf(query);
  const key = JSON.stringify(shape);
  let templates = TEMPLATES.get(key);
  if (!templates) {
    templates = listTemplates(shape);
    TEMPLATES.set(key, templates);
  }
  // One row more than the page tells whether there is a next page.
  const rowsWanted = query.limit + 1;
  const values: Record<string, unknown> = {
    userId,
    limit: rowsWanted,
    offset: query.offset,
    countCap: TOTAL_COUNT_CAP + 1,
    tags: query.tag,
    tag0: query.tag?.[0],
    dueBefore: query.due_before,
    dueAfter: query.due_after,
    pattern: query.q === undefined ? undefined : likePattern(query.q),
    seriesId: query.series_id,
    cursorKey: query.cursor?.key,
    cursorId: query.cursor?.id,
  };
  query.status?.forEach((status, i) => (values[`status${i}`] = status));
  query.priority?.forEach((priority, i) => (values[`priority${i}`] = priority));
  const fill = (template: StatementTemplate, extra: Record<string, unknown> = {}) =>
    fillQuery(template, { ...values, ...extra }, ENCODERS);
  const { undatedPage } = templates;
  return {
    page: fill(templates.page),
    undatedPage: undatedPage
      ? (limit: number) => fill(undatedPage, { undatedLimit: limit })
      : undefined,
    rowsWanted,
    total: fill(templates.total),
  };
}
