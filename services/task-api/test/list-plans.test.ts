import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import postgres from 'postgres';
import { createDatabase } from '@todo/db';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { TASK_API_DATABASE_OPTIONS } from '../src/task-database.js';
import { listTaskQueries } from '../src/tasks/task-list-queries.js';
import { TASK_SORT_FIELDS, SORT_ORDERS } from '../src/tasks/task-list-sort.js';
import { listTasksQuerySchema, type ListTasksQuery } from '../src/tasks/task.schemas.js';
import { createTasksRepository } from '../src/tasks/tasks.repository.js';
import { createTasksService } from '../src/tasks/tasks.service.js';

/**
 * The list's plans on a database where one user holds 200,000 tasks (ten others 1,000 each and
 * 5,000 others three each), seeded by INSERT … SELECT generate_series and ANALYZEd: every query
 * the repository builds,
 * for every sort, order and filter, must read the user's tasks through an index in the query's
 * order and stop at the limit, never sort the user's whole set nor scan the table, and find
 * filtered tasks only among the user's own index entries.
 */

const BIG_USER_TASKS = 200_000;
const OTHER_USERS = 10;
const OTHER_USER_TASKS = 1_000;
/**
 * Many users with a few tasks each, as a real table has: the average user (what a generic plan
 * is made for) then holds a few dozen tasks, not tens of thousands.
 */
const SMALL_USERS = 5_000;
const SMALL_USER_TASKS = 3;
/** A sort may only order what a selective filter found: at most 1% of the user's tasks. */
const MAX_SORTED_ROWS = BIG_USER_TASKS / 100;
/** Indexes whose key, a series or a task id, only ever matches one user's tasks. */
const ONE_USERS_KEYS = ['tasks_series_idx', 'tasks_pkey'];
/** Where the user's one recurring series starts in creation order, and how many tasks it holds. */
const SERIES_START = 100_000;
const SERIES_LENGTH = 1_000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Scan Direction'?: string;
  'Index Cond'?: string;
  Filter?: string;
  'Recheck Cond'?: string;
  'Plan Rows': number;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

describe('list query plans at 200,000 tasks', () => {
  let database: TestDatabase;
  let userId: string;
  let seriesId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const sql = database.client;
    const users = await sql<{ id: string }[]>`
      INSERT INTO users (email, password_hash)
      SELECT 'plan-user-' || g || '@example.com', 'not-a-hash' FROM generate_series(0, ${OTHER_USERS}) g
      ORDER BY g
      RETURNING id`;
    userId = users[0]!.id;
    const others = users.slice(1).map((u) => u.id);
    // Indexes are built once after the rows go in, not row by row: a few seconds instead of 20.
    // They are recreated from their own definitions, so the plans are those of the migrated schema.
    const indexes = await sql<{ name: string; definition: string }[]>`
      SELECT indexname AS name, indexdef AS definition FROM pg_indexes
      WHERE schemaname = 'public' AND tablename = 'tasks' AND indexname <> 'tasks_pkey'`;
    for (const index of indexes) await sql.unsafe(`DROP INDEX ${index.name}`);
    // Every value spread so each filter has common and rare values: 10 tags (~10% each) plus a
    // rare one (0.1%), a quarter without due date, statuses and priorities a third each.
    await sql`
      INSERT INTO tasks (user_id, title, description, priority, status, completed_at, tags, due_at,
                         created_at, updated_at)
      SELECT CASE WHEN g <= ${BIG_USER_TASKS} THEN ${userId}::uuid
                  ELSE (${others}::uuid[])[1 + g % ${OTHER_USERS}] END,
        (ARRAY['Water plants', 'Pay rent', 'Call mum', 'Write report', 'Buy milk'])[1 + g % 5] || ' ' || g,
        CASE WHEN g % 10 = 0 THEN 'see the notes' END,
        (ARRAY['low', 'medium', 'high'])[1 + (g * 7) % 3]::task_priority,
        (ARRAY['pending', 'in_progress', 'done'])[1 + (g * 13) % 3]::task_status,
        CASE WHEN (g * 13) % 3 = 2 THEN timestamptz '2026-01-01' END,
        ARRAY['tag' || g % 10] || CASE WHEN g % 1000 = 0 THEN ARRAY['rare'] ELSE '{}' END,
        CASE WHEN g % 4 <> 0 THEN timestamptz '2026-01-01' + (g % 5000) * interval '1 hour' END,
        timestamptz '2025-01-01' + g * interval '1 second',
        timestamptz '2025-06-01' + ((g * 7919) % ${BIG_USER_TASKS}) * interval '1 second'
      FROM generate_series(1, ${BIG_USER_TASKS + OTHER_USERS * OTHER_USER_TASKS}) g`;
    // One recurring series of 1,000 occurrences (0.5% of the user's tasks), created one after
    // another as a daily series is: its root keeps series_id null, the others name the root.
    const [root] = await sql<{ id: string }[]>`
      SELECT id FROM tasks WHERE user_id = ${userId} ORDER BY created_at LIMIT 1 OFFSET ${SERIES_START}`;
    seriesId = root!.id;
    await sql`
      WITH series AS (
        SELECT id, row_number() OVER (ORDER BY created_at) - 1 AS position FROM tasks
        WHERE user_id = ${userId} ORDER BY created_at LIMIT ${SERIES_LENGTH} OFFSET ${SERIES_START})
      UPDATE tasks SET occurrence_index = series.position,
        series_id = CASE WHEN tasks.id = ${seriesId}::uuid THEN NULL ELSE ${seriesId}::uuid END
      FROM series WHERE tasks.id = series.id`;
    await sql`
      WITH small AS (
        INSERT INTO users (email, password_hash)
        SELECT 'plan-small-' || g || '@example.com', 'not-a-hash'
        FROM generate_series(1, ${SMALL_USERS}) g
        RETURNING id)
      INSERT INTO tasks (user_id, title, tags, created_at, updated_at)
      SELECT small.id, 'Small task ' || t, ARRAY['tag' || t], now(), now()
      FROM small, generate_series(1, ${SMALL_USER_TASKS}) t`;
    for (const index of indexes) await sql.unsafe(index.definition);
    // VACUUM as autovacuum would have by then: the visibility map lets counts read the index only.
    await sql`VACUUM (ANALYZE) tasks, task_tags`;
  }, 120_000);
  afterAll(async () => {
    await database.drop();
  });

  const parse = (query: Record<string, string | string[]>): ListTasksQuery =>
    listTasksQuerySchema.parse({ limit: '50', ...query });

  /** The plans of every statement the repository would run for this query. */
  async function plansOf(query: ListTasksQuery): Promise<Array<{ sql: string; plan: PlanNode }>> {
    const built = listTaskQueries(userId, query);
    const statements = [
      built.page,
      built.total,
      ...(built.undatedPage ? [built.undatedPage(51)] : []),
    ];
    return Promise.all(
      statements.map(async (statement) => {
        const { sql, params } = statement;
        const [row] = await database.client.unsafe<[{ 'QUERY PLAN': [{ Plan: PlanNode }] }]>(
          `EXPLAIN (FORMAT JSON) ${sql}`,
          params as never[],
        );
        return { sql, plan: row['QUERY PLAN'][0].Plan };
      }),
    );
  }

  /** Fails with the statement and its plan, so a regression shows what PostgreSQL chose. */
  function expectBounded({ sql, plan }: { sql: string; plan: PlanNode }, strict: boolean) {
    const nodes = nodesOf(plan);
    const problems = [
      ...nodes
        .filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'tasks')
        .map(() => 'a sequential scan of tasks'),
      // A tag or text index over every user's tasks finds every user's matches before the
      // user's own: a common word is a third of the table, whatever the user holds.
      ...nodes
        .filter((n) => n['Node Type'] === 'Bitmap Index Scan')
        .filter((n) => !n['Index Cond']?.includes('user_id'))
        .filter((n) => !ONE_USERS_KEYS.includes(n['Index Name']!))
        .map((n) => `a scan of every user's entries in ${n['Index Name']}`),
      ...nodes
        .filter((n) => n['Node Type'] === 'Sort')
        .filter((n) => strict || n.Plans![0]!['Plan Rows'] > MAX_SORTED_ROWS)
        .map((n) => `a sort of ${n.Plans![0]!['Plan Rows']} rows`),
    ];
    if (problems.length > 0) {
      throw new Error(`${problems.join(', ')} in\n${sql}\n${JSON.stringify(plan, null, 2)}`);
    }
  }

  const orders = TASK_SORT_FIELDS.flatMap((sort) => SORT_ORDERS.map((order) => ({ sort, order })));

  it.each(orders)('reads $sort $order in index order and stops at the limit', async (order) => {
    const [page, total] = await plansOf(parse(order));
    expectBounded(page!, true);
    expectBounded(total!, false);
    const scan = nodesOf(page!.plan).find((n) => n['Node Type'] === 'Index Scan');
    expect(page!.plan['Node Type']).toBe('Limit');
    expect(scan?.['Index Name']).toMatch(/^tasks_user_\w+_idx$/);
  });

  const filters: Array<[string, Record<string, string | string[]>]> = [
    ['a status', { status: 'done' }],
    ['two statuses', { status: 'pending,in_progress' }],
    ['a status and a priority', { status: 'done', priority: 'high' }],
    ['a common tag', { tag: 'tag7' }],
    ['a rare tag', { tag: 'rare' }],
    ['two tags', { tag: ['tag7', 'rare'] }],
    ['a due range', { due_after: '2026-02-01T00:00:00Z', due_before: '2026-03-01T00:00:00Z' }],
    [
      'a narrow due range',
      { due_after: '2026-02-01T00:00:00Z', due_before: '2026-02-01T02:00:00Z' },
    ],
    ['a common word', { q: 'rent' }],
    ['a rare word', { q: 'Pay rent 12345' }],
  ];

  describe.each(filters)('with %s', (_name, filter) => {
    it.each(orders)('sorts by $sort $order without sorting the user’s tasks', async (order) => {
      for (const plan of await plansOf(parse({ ...filter, ...order }))) expectBounded(plan, false);
    });
  });

  describe('with a series', () => {
    it.each(orders)(
      'finds its occurrences by the series index, sorting only them ($sort $order)',
      async (order) => {
        const plans = await plansOf(parse({ series_id: seriesId, ...order }));
        for (const plan of plans) expectBounded(plan, false);
        // Not an ordered scan of the user's tasks filtering for the series: its occurrences are
        // contiguous in creation order, so such a scan could read half the user's set first.
        const indexes = nodesOf(plans[0]!.plan).map((n) => n['Index Name']);
        expect(indexes).toEqual(expect.arrayContaining(['tasks_series_idx', 'tasks_pkey']));
      },
    );
  });

  // Status, priority and due_at are trailing keys of every sort's index and the keys of the
  // count's: a filter on them is checked on index entries, never on fetched rows.
  const keyFilters: Array<[string, Record<string, string | string[]>]> = [
    ['a status and a priority', { status: 'done', priority: 'high' }],
    ['two statuses', { status: 'pending,in_progress' }],
    ['a due range', { due_after: '2026-02-01T00:00:00Z', due_before: '2026-03-01T00:00:00Z' }],
    [
      'open tasks due before a date',
      { status: 'pending,in_progress', due_before: '2026-03-01T00:00:00Z' },
    ],
  ];

  describe.each(keyFilters)('with %s', (_name, filter) => {
    it.each(orders)(
      'fetches only matching tasks and counts them from the index ($sort $order)',
      async (order) => {
        const [page, total] = await plansOf(parse({ ...filter, ...order }));
        const scans = nodesOf(page!.plan).filter((n) => n['Relation Name'] === 'tasks');
        expect(scans.length).toBeGreaterThan(0);
        for (const scan of scans)
          expect({ scan: scan['Index Name'], filter: scan.Filter }).toEqual({
            scan: scan['Index Name'],
            filter: undefined,
          });
        const counted = nodesOf(total!.plan).filter((n) => n['Relation Name'] === 'tasks');
        expect(counted.map((n) => [n['Node Type'], n['Index Name'], n.Filter])).toEqual([
          ['Index Only Scan', 'tasks_user_filters_idx', undefined],
        ]);
      },
    );
  });

  // One tag and no other filter: the count reads task_tags' primary key alone, never a task.
  // It runs inside count_tagged_tasks, whose plan EXPLAIN does not show, so auto_explain sends the
  // plans of the statements it runs to the client; with the table's pages not marked all-visible
  // (as after a burst of inserts, before VACUUM), where the planner preferred a bitmap and a sort.
  describe.each([
    ['a common tag', 'tag7'],
    ['a rare tag', 'rare'],
  ])('with %s alone', (_name, tag) => {
    it.each(['capped', 'exact'])('counts it from task_tags’ key (%s)', async (kind) => {
      const query = parse({ tag, ...(kind === 'exact' ? { include_total: 'true' } : {}) });
      const { sql: text, params } = listTaskQueries(userId, query).total;
      expect(text).toContain('count_tagged_tasks(');
      const twice = listTaskQueries(userId, parse({ tag: [tag, tag] })).total;
      expect(twice.sql).toContain('count_tagged_tasks(');
      const notices: string[] = [];
      const connection = postgres(database.url, {
        max: 1,
        onnotice: (notice) => notices.push(String(notice.message)),
      });
      try {
        await connection.begin(async (tx) => {
          await tx`UPDATE pg_class SET relallvisible = 0 WHERE oid = 'task_tags'::regclass`;
          await tx`LOAD 'auto_explain'`;
          await tx`SET LOCAL auto_explain.log_min_duration = 0`;
          await tx`SET LOCAL auto_explain.log_nested_statements = on`;
          await tx`SET LOCAL auto_explain.log_level = notice`;
          const [row] = await tx.unsafe<[{ total: string }]>(text, params as never[]);
          expect(Number(row.total)).toBeGreaterThan(0);
          await tx`ROLLBACK AND CHAIN`;
        });
      } finally {
        await connection.end({ timeout: 5 });
      }
      const nested = notices.filter((n) => n.includes('task_tags')).join('\n');
      expect(nested).toContain('Index Only Scan using task_tags_user_id_tag_task_id_pk');
      expect(nested).not.toMatch(/Bitmap|Seq Scan|Sort/);
    });
  });

  // The search reads the folded copies of the text (migration 0019) with the pattern lowered once,
  // when the statement is planned: a rare word is found by their trigram indexes, and no row is
  // checked against a lower() computed for it.
  it.each([
    ['a rare word', 'Pay RENT 12345', true],
    ['a common word', 'RENT', false],
  ])('searches %s in the folded copies with a lowered constant', async (_name, q, byIndex) => {
    const [page, total] = await plansOf(parse({ q }));
    for (const { plan } of [page!, total!]) {
      const conditions = nodesOf(plan).flatMap((n) =>
        [n.Filter, n['Index Cond'], n['Recheck Cond']].filter((c) => c !== undefined),
      );
      expect(conditions.join(' ')).toContain(`'%${q.toLowerCase()}%'::text`);
      expect(conditions.join(' ')).not.toMatch(/lower\(|~~\*/);
    }
    const indexes = nodesOf(page!.plan).map((n) => n['Index Name']);
    if (byIndex) expect(indexes).toContain('tasks_user_title_folded_trgm_idx');
  });

  describe('prepared statements', () => {
    interface PreparedPlans {
      statement: string;
      generic_plans: string;
      custom_plans: string;
    }
    /** The list statements this one-connection pool prepared, with how each was planned. */
    const listStatements = (client: ReturnType<typeof createDatabase>['client']) => client<
      PreparedPlans[]
    >`
      SELECT statement, generic_plans::text, custom_plans::text FROM pg_prepared_statements
      WHERE statement LIKE '%from "tasks"%' AND statement LIKE '%limit%'
        AND statement NOT LIKE '%pg_prepared_statements%'`;
    const runs = 12;
    const query = () => parse({ tag: 'tag7' });

    it('are planned for the user on every run, never by a generic plan', async () => {
      const connection = createDatabase(database.url, { max: 1, ...TASK_API_DATABASE_OPTIONS });
      try {
        const repo = createTasksRepository();
        for (let i = 0; i < runs; i += 1) await repo.list(connection.db, userId, query());
        const prepared = await listStatements(connection.client);
        expect(prepared.length).toBeGreaterThan(0);
        for (const row of prepared) {
          expect({ generic: Number(row.generic_plans), custom: Number(row.custom_plans) }).toEqual({
            generic: 0,
            custom: runs,
          });
        }
      } finally {
        await connection.close();
      }
    });

    // The check above can fail: on a pool without task-api's plan_cache_mode, PostgreSQL switches
    // the same prepared statement to its generic plan after five custom ones, made for an average
    // user.
    it('would switch to a generic plan without plan_cache_mode', async () => {
      const connection = createDatabase(database.url, { max: 1 });
      try {
        const repo = createTasksRepository();
        for (let i = 0; i < runs; i += 1) await repo.list(connection.db, userId, query());
        const prepared = await listStatements(connection.client);
        expect(Math.max(...prepared.map((row) => Number(row.generic_plans)))).toBeGreaterThan(0);
      } finally {
        await connection.close();
      }
    });
  });

  describe('cursor pages', () => {
    const service = () => createTasksService({ db: database.db, repo: createTasksRepository() });

    /** A cursor from deep in the list: where a page by offset would read everything before. */
    async function deepCursor(query: Record<string, string>) {
      const first = await service().list(userId, parse({ ...query, limit: '100' }));
      let cursor = first.next_cursor!;
      // Walk a few pages, then jump: the plan does not depend on depth, but the key must be real.
      for (let i = 0; i < 3; i += 1) {
        cursor = (await service().list(userId, parse({ ...query, limit: '100', cursor })))
          .next_cursor!;
      }
      expect(cursor).toEqual(expect.any(String));
      return cursor;
    }

    it.each(orders)('continue $sort $order from the cursor by the index', async (order) => {
      const cursor = await deepCursor(order);
      const plans = await plansOf(parse({ ...order, cursor }));
      for (const plan of plans) expectBounded(plan, true);
      const page = nodesOf(plans[0]!.plan).find((n) => n['Node Type'] === 'Index Scan');
      expect(page?.['Index Name']).toMatch(/^tasks_user_\w+_idx$/);
    });
  });
});
