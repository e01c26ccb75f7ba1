/**
 * Data-scale benchmark (issue 17): the list endpoint for a user with 200,000 tasks against one
 * with 1,000, among many users' tasks; the relay's claim and the engine's dedupe insert beside
 * tens of millions of bookkeeping rows; table sizes before and after pruning. Everything is
 * seeded with INSERT … SELECT generate_series. Prints tables and returns the rows; asserts nothing.
 *
 * BENCH_SCALE (default 0.1) is the fraction of the issue's sizes: 10 million tasks over 50,000
 * users and 50 million published outbox rows at 1. The two measured users keep 200,000 and 1,000
 * tasks at every scale. BENCH_DATA_LIST_ONLY=1 seeds and measures the tasks only (no outbox or
 * processed events, no claim, dedupe or pruning): at full scale those rows are over an hour of
 * the seed and another of pruning, and a change to the list's indexes does not touch them.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_IDS } from '@todo/contracts';
import { createDatabase, createMigratedDatabase, pruneBatchUnderLock } from '@todo/db';
import { freePort, startEmbeddedPostgres } from '@todo/embedded-postgres';
import { runThenStop } from '@todo/local-stack';
import { publishBatch, pruneOutboxBatch } from '@todo/outbox-relay';
import { serviceProcess } from '@todo/stack-harness';
import { sql } from 'drizzle-orm';
import { markdownTable, percentile, serviceNodeArgs, type Row } from './measure.js';
import { registerBenchUser } from './bench-user.js';

const SCALE = Number(process.env.BENCH_SCALE ?? 0.1);
const BIG_USER_TASKS = Number(process.env.BENCH_BIG_USER_TASKS ?? 200_000);
const SMALL_USER_TASKS = 1000;
const TOTAL_TASKS = Math.max(Math.round(10_000_000 * SCALE), BIG_USER_TASKS + SMALL_USER_TASKS);
const USERS = Math.max(Math.round(50_000 * SCALE), 3);
const LIST_ONLY = process.env.BENCH_DATA_LIST_ONLY === '1';
const OUTBOX_ROWS = LIST_ONLY ? 0 : Math.round(50_000_000 * SCALE);
/** The engine records only recurring completions it handled: fewer than the events published. */
const PROCESSED_ROWS = Math.round(OUTBOX_ROWS / 2);
/** Requests per list case, after a few unmeasured ones. */
const SAMPLES = Number(process.env.BENCH_LIST_SAMPLES ?? 40);
const DAY_S = 86_400;
const BIG = BIG_USER_TASKS.toLocaleString('en-US');

const log = (line: string) => process.stdout.write(`[data-scale] ${line}\n`);
const round = (ms: number) => (ms < 10 ? Math.round(ms * 100) / 100 : Math.round(ms * 10) / 10);

async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await work();
  log(`${what}: ${((performance.now() - start) / 1000).toFixed(1)} s`);
  return result;
}

async function samples(count: number, once: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 3; i += 1) await once();
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = performance.now();
    await once();
    times.push(performance.now() - start);
  }
  return times;
}

/**
 * Times `a` and `b` alternately, so a slow stretch of the machine (another process, a checkpoint)
 * falls on both sides of a ratio rather than on one.
 */
async function pairedSamples(
  count: number,
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
): Promise<[number[], number[]]> {
  for (let i = 0; i < 3; i += 1) await Promise.all([a(), b()]);
  const timesA: number[] = [];
  const timesB: number[] = [];
  for (let i = 0; i < count; i += 1) {
    for (const [once, times] of [
      [a, timesA],
      [b, timesB],
    ] as const) {
      const start = performance.now();
      await once();
      times.push(performance.now() - start);
    }
  }
  return [timesA, timesB];
}

/** The list cases: every sort (both orders where the default is one-sided) and every filter. */
const LIST_CASES: Array<[string, string]> = [
  ['default (created_at desc)', ''],
  ['sort=created_at&order=asc', 'sort=created_at&order=asc'],
  ['sort=updated_at', 'sort=updated_at'],
  ['sort=due_date', 'sort=due_date'],
  ['sort=due_date&order=desc', 'sort=due_date&order=desc'],
  ['sort=priority', 'sort=priority'],
  ['sort=title', 'sort=title'],
  ['status=done', 'status=done'],
  ['priority=high', 'priority=high'],
  ['status=done&priority=high', 'status=done&priority=high'],
  ['tag=tag7', 'tag=tag7'],
  ['due_after=2031 (two thirds)', 'due_after=2031-01-01T00:00:00Z'],
  ['due_after=2032-10 (one in twelve)', 'due_after=2032-10-01T00:00:00Z'],
  ['due_before=2030-02 (one in thirty)', 'due_before=2030-02-01T00:00:00Z'],
  [
    'due range, sort=due_date',
    'due_after=2031-01-01T00:00:00Z&due_before=2031-02-01T00:00:00Z&sort=due_date',
  ],
  // The web app's Overdue view: open tasks due before now, by due date.
  ['overdue view', 'status=pending,in_progress&due_before=2031-01-01T00:00:00Z&sort=due_date'],
  ['q=details', 'q=details'],
];

export async function dataScaleBench(): Promise<{
  scale: Row[];
  list: Row[];
  bookkeeping: Row[];
  sizes: Row[];
}> {
  const dir = await mkdtemp(join(tmpdir(), 'todo-bench-data-'));
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), persistent: false });
  // Stopped last first: the server, then its directory (the server removes only its data).
  const started: (() => Promise<unknown>)[] = [
    () => rm(dir, { recursive: true, force: true }),
    () => pg.stop(),
  ];
  return runThenStop(async () => {
    const url = await createMigratedDatabase(pg.url, 'bench_data');
    const database = createDatabase(url, { max: 4 });
    started.push(() => database.close());
    const { db, client } = database;

    const logs: string[] = [];
    const api = serviceProcess({
      name: 'task-api',
      serviceDir: 'task-api',
      port: await freePort(),
      logs,
      compiled: true,
      env: {
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        DATABASE_URL: url,
        JWT_SECRET: 'bench-only-secret-that-is-long-enough-0123456789',
        AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
        WRITE_RATE_LIMIT_PER_MINUTE: '1000000',
        EVENT_TRANSPORT: 'off',
        // The two users sign up before the seed and list after it: at BENCH_SCALE=1 the seed
        // takes over an hour, past the default 15-minute token (its first run ended in a 401).
        ACCESS_TOKEN_TTL_SECONDS: '86400',
        // The bench prunes the outbox itself and times it: task-api's own retention job (first
        // round 2.5-7.5 minutes after start by default) would delete seeded rows during the seed
        // and hold the pruning lock (at full scale it had pruned 7.3 M rows first). At the longest
        // interval its first round comes 12 hours after start, past the end of any run.
        OUTBOX_PRUNE_INTERVAL_SECONDS: '86400',
      },
      nodeArgs: serviceNodeArgs('task-api'),
    });
    started.push(() => api.stop());
    await api.start();
    const register = (email: string) => registerBenchUser(api.url, email);
    const big = await register('big@example.com');
    const small = await register('small@example.com');

    // ---- the relay's claim and the engine's dedupe insert on empty tables, for the ratios
    const claimEmpty = LIST_ONLY ? [] : await measureClaim(db);
    const dedupeEmpty = LIST_ONLY ? [] : await measureDedupe(client);

    // ---- seed
    const seedStart = performance.now();
    await timed(
      `${USERS - 2} users`,
      () => client`
      INSERT INTO users (email, password_hash)
      SELECT 'user' || i || '@bench.example', 'not-used' FROM generate_series(1, ${USERS - 2}) i`,
    );
    await timed(`${BIG_USER_TASKS} tasks of one user`, () =>
      seedTasks(client, { userId: big.user.id, count: BIG_USER_TASKS }),
    );
    await timed(`${SMALL_USER_TASKS} tasks of another`, () =>
      seedTasks(client, { userId: small.user.id, count: SMALL_USER_TASKS }),
    );
    const spread = TOTAL_TASKS - BIG_USER_TASKS - SMALL_USER_TASKS;
    await timed(`${spread} tasks over the other users`, () => seedTasks(client, { count: spread }));
    await timed(`${OUTBOX_ROWS} published outbox rows over 14 days`, () =>
      seedOutbox(client, OUTBOX_ROWS),
    );
    await timed(`${PROCESSED_ROWS} processed events over 28 days`, () =>
      seedProcessed(client, PROCESSED_ROWS),
    );
    await timed('VACUUM ANALYZE', () => client`VACUUM ANALYZE`);
    const seedSeconds = Math.round((performance.now() - seedStart) / 1000);

    // ---- the list, for each sort and filter, at 200,000 tasks and at 1,000
    const get = async (token: string, query: string) => {
      const res = await fetch(`${api.url}/api/tasks?limit=50${query ? `&${query}` : ''}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!res.ok) throw new Error(`GET /api/tasks?${query}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { next_cursor?: string | null; items?: unknown[] };
    };
    const list: Row[] = [];
    const row = (name: string, smallTimes: number[], bigTimes: number[]): Row => {
      const [s50, b50] = [percentile(smallTimes, 0.5), percentile(bigTimes, 0.5)];
      const [s99, b99] = [percentile(smallTimes, 0.99), percentile(bigTimes, 0.99)];
      return {
        'GET /api/tasks?limit=50&…': name,
        '1,000 tasks p50 ms': round(s50),
        '1,000 tasks p99 ms': round(s99),
        [`${BIG} tasks p50 ms`]: round(b50),
        [`${BIG} tasks p99 ms`]: round(b99),
        'p50 ratio': `${(b50 / s50).toFixed(2)}x`,
        'p99 ratio': `${(b99 / s99).toFixed(2)}x`,
      };
    };
    for (const [name, query] of LIST_CASES) {
      const [smallTimes, bigTimes] = await pairedSamples(
        SAMPLES,
        () => get(small.access_token, query),
        () => get(big.access_token, query),
      );
      list.push(row(name, smallTimes, bigTimes));
      log(`list ${name}: done`);
    }
    // Deep pages: the 1,000-task user's first page is the reference, alternated with them as the
    // other cases are (measured apart, the reference ran in a quieter stretch: 1.74 ms against
    // 3.15 paired in the same run, which made a cursor page cheaper than the big user's own first
    // page look 1.66x).
    const smallFirst = () => get(small.access_token, '');
    const depth = Math.min(150_000, BIG_USER_TASKS - 50);
    list.push(
      row(
        `offset=${depth} (1,000: first page)`,
        ...(await pairedSamples(SAMPLES, smallFirst, () =>
          get(big.access_token, `offset=${depth}`),
        )),
      ),
    );
    const cursor = (await get(big.access_token, `offset=${depth - 50}`)).next_cursor;
    if (typeof cursor === 'string') {
      list.push(
        row(
          `cursor at ${depth} (1,000: first page)`,
          ...(await pairedSamples(SAMPLES, smallFirst, () =>
            get(big.access_token, `cursor=${encodeURIComponent(cursor)}`),
          )),
        ),
      );
    } else {
      log('the list answers no next_cursor: deep pages measured by offset only');
    }

    if (LIST_ONLY) {
      log('BENCH_DATA_LIST_ONLY=1: no bookkeeping, pruning or table sizes');
      return { scale: scaleRows(seedSeconds), list, bookkeeping: [], sizes: [] };
    }

    // ---- bookkeeping beside the seeded rows
    const claimFull = await measureClaim(db);
    const dedupeFull = await measureDedupe(client);
    const bookkeeping: Row[] = [
      ratioRow(
        'relay claim (batch of 100 unpublished, FOR UPDATE SKIP LOCKED)',
        claimEmpty,
        claimFull,
      ),
      ratioRow('engine dedupe insert (count the delivery + record it)', dedupeEmpty, dedupeFull),
    ];

    // ---- table sizes before and after pruning with the default windows
    const before = await tableSizes(client);
    const pruneStart = performance.now();
    let outboxPruned = 0;
    for (const producer of [APP_IDS.taskApi, APP_IDS.recurrenceEngine]) {
      for (;;) {
        const deleted = await pruneOutboxBatch(
          db,
          { producer, retentionSeconds: 7 * DAY_S },
          10_000,
        );
        // Null means another pruner holds the lock: nothing else should prune here, so a
        // figure measured beside one would be wrong, not slow.
        if (deleted === null) throw new Error(`outbox of ${producer}: the pruning lock is taken`);
        outboxPruned += deleted;
        if (deleted < 10_000) break;
      }
    }
    const outboxSeconds = (performance.now() - pruneStart) / 1000;
    const processedStart = performance.now();
    let processedPruned = 0;
    for (;;) {
      const deleted = await pruneProcessedBatch(db, 14 * DAY_S, 10_000);
      if (deleted === null) throw new Error('processed events: the pruning lock is taken');
      processedPruned += deleted;
      if (deleted < 10_000) break;
    }
    const processedSeconds = (performance.now() - processedStart) / 1000;
    const pruned = await tableSizes(client);
    await timed('VACUUM after pruning', () => client`VACUUM ANALYZE outbox, processed_events`);
    const vacuumed = await tableSizes(client);
    const sizes: Row[] = ['outbox', 'processed_events', 'tasks'].map((table) => ({
      table,
      'rows before': before[table]!.rows,
      'MiB before': before[table]!.mib,
      'rows pruned':
        table === 'outbox' ? outboxPruned : table === 'processed_events' ? processedPruned : 0,
      'prune s (batches of 10,000)':
        table === 'outbox'
          ? round(outboxSeconds)
          : table === 'processed_events'
            ? round(processedSeconds)
            : undefined,
      'rows after': pruned[table]!.rows,
      'MiB after prune + VACUUM': vacuumed[table]!.mib,
    }));
    const claimAfter = await measureClaim(db);
    bookkeeping.push(ratioRow('relay claim after pruning', claimEmpty, claimAfter));

    return { scale: scaleRows(seedSeconds), list, bookkeeping, sizes };
  }, started);
}

function scaleRows(seedSeconds: number): Row[] {
  return [
    {
      BENCH_SCALE: SCALE,
      tasks: TOTAL_TASKS,
      users: USERS,
      'largest user': BIG_USER_TASKS,
      'published outbox rows': OUTBOX_ROWS,
      'processed events': PROCESSED_ROWS,
      'seed s': seedSeconds,
    },
  ];
}

type Sql = ReturnType<typeof createDatabase>['client'];
type Db = ReturnType<typeof createDatabase>['db'];

function ratioRow(name: string, empty: number[], full: number[]): Row {
  const [e50, f50] = [percentile(empty, 0.5), percentile(full, 0.5)];
  return {
    measure: name,
    'empty p50 ms': round(e50),
    'empty p99 ms': round(percentile(empty, 0.99)),
    'seeded p50 ms': round(f50),
    'seeded p99 ms': round(percentile(full, 0.99)),
    'p50 ratio': `${(f50 / e50).toFixed(2)}x`,
  };
}

/**
 * Tasks as the API would have written them: mixed priorities and statuses, ten tags, due dates
 * over three years (a fifth without), creation a second apart. Without `userId`, spread round the
 * seeded users. Due dates are scattered over the three years whatever the count (7919 is prime to
 * the 26,280 hours, so i -> i * 7919 mod 26,280 visits every hour once; bigint, since
 * 10 million × 7919 overflows an int), so a due range selects
 * the same share of a 1,000-task user's tasks as of a 200,000-task user's, in the same creation
 * order. (They were `i % 26000` hours: the 1,000-task user's all fell in its first 42 days, and
 * `due_after=2031` compared an empty page with a full one.)
 */
async function seedTasks(client: Sql, options: { userId?: string; count: number }) {
  const chunk = 500_000;
  for (let from = 1; from <= options.count; from += chunk) {
    const to = Math.min(options.count, from + chunk - 1);
    const owner = options.userId
      ? client`${options.userId}::uuid`
      : client`(SELECT id FROM bench_users WHERE n = i % (SELECT count(*) FROM bench_users))`;
    if (!options.userId) {
      // A plain table (the pool's connections would not share a temporary one), dropped after.
      await client`CREATE TABLE IF NOT EXISTS bench_users AS
        SELECT id, (row_number() OVER (ORDER BY id)) - 1 AS n FROM users
        WHERE email LIKE '%@bench.example'`;
      await client`CREATE UNIQUE INDEX IF NOT EXISTS bench_users_n ON bench_users (n)`;
    }
    await client`
      INSERT INTO tasks (user_id, title, description, priority, status, completed_at, tags,
                         due_at, created_at, updated_at)
      SELECT ${owner},
             'Task ' || i,
             CASE WHEN i % 3 = 0 THEN 'details of ' || i END,
             (ARRAY['low', 'medium', 'high'])[i % 3 + 1]::task_priority,
             CASE WHEN i % 4 = 0 THEN 'done' ELSE 'pending' END::task_status,
             CASE WHEN i % 4 = 0 THEN now() - make_interval(secs => i) END,
             ARRAY['tag' || (i % 10)],
             CASE WHEN i % 5 <> 0 THEN timestamptz '2030-01-01' + make_interval(hours => ((i::bigint * 7919) % 26280)::int) END,
             now() - make_interval(secs => i),
             now() - make_interval(secs => i / 2)
      FROM generate_series(${from}::int, ${to}::int) i`;
  }
  if (!options.userId && options.count > 0) await client`DROP TABLE bench_users`;
}

/** Published events a second apart per row over the last 14 days, both producers. */
async function seedOutbox(client: Sql, count: number) {
  const chunk = 1_000_000;
  for (let from = 1; from <= count; from += chunk) {
    const to = Math.min(count, from + chunk - 1);
    await client`
      INSERT INTO outbox (event_id, producer, aggregate_id, type, payload, traceparent,
                          created_at, published_at, attempts)
      SELECT gen_random_uuid(),
             CASE WHEN i % 4 = 0 THEN ${APP_IDS.recurrenceEngine} ELSE ${APP_IDS.taskApi} END,
             gen_random_uuid(),
             'com.todo.task.updated.v1',
             jsonb_build_object('task', jsonb_build_object(
               'id', gen_random_uuid(), 'title', 'Task ' || i, 'priority', 'medium',
               'status', 'pending', 'tags', jsonb_build_array('tag' || (i % 10)),
               'due_date', '2030-01-01T09:00:00.000Z', 'recurrence', null)),
             '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
             now() - make_interval(secs => 14 * 86400.0 * i / ${count}),
             now() - make_interval(secs => 14 * 86400.0 * i / ${count}) + interval '5 ms',
             1
      FROM generate_series(${from}::int, ${to}::int) i`;
  }
}

/** The engine's records over the last 28 days. */
async function seedProcessed(client: Sql, count: number) {
  const chunk = 1_000_000;
  for (let from = 1; from <= count; from += chunk) {
    const to = Math.min(count, from + chunk - 1);
    await client`
      INSERT INTO processed_events (consumer, event_id, processed_at)
      SELECT ${APP_IDS.recurrenceEngine}, gen_random_uuid()::text,
             now() - make_interval(secs => 28 * 86400.0 * i / ${count})
      FROM generate_series(${from}::int, ${to}::int) i`;
  }
}

/**
 * The relay's claim of a batch (publishBatch, as the relay calls it) with 100 rows waiting: the
 * transport fails the whole batch by throwing, so the claim rolls back and every sample claims
 * the same rows.
 */
async function measureClaim(db: Db): Promise<number[]> {
  await db.execute(sql`
    INSERT INTO outbox (event_id, producer, aggregate_id, type, payload)
    SELECT gen_random_uuid(), ${APP_IDS.taskApi}, gen_random_uuid(), 'com.todo.task.updated.v1', '{}'
    FROM generate_series(1, 100)`);
  const claimed = new Error('claimed');
  const times = await samples(200, () =>
    publishBatch(db, { producer: APP_IDS.taskApi, batchSize: 100, maxRetryDelayMs: 1000 }, () =>
      Promise.reject(claimed),
    ).catch((error: unknown) => {
      if (error !== claimed) throw error;
    }),
  );
  await db.execute(sql`DELETE FROM outbox WHERE published_at IS NULL`);
  return times;
}

/**
 * The engine's bookkeeping of a first delivery: the statements of delivery-ledger.ts's
 * registerAttempt and occurrences.repository.ts's markProcessed, for a new event id each time.
 */
async function measureDedupe(client: Sql): Promise<number[]> {
  const consumer = APP_IDS.recurrenceEngine;
  return samples(500, async () => {
    const eventId = randomUUID();
    await client`
      WITH seen AS (
        SELECT
          EXISTS (SELECT 1 FROM processed_events WHERE consumer = ${consumer} AND event_id = ${eventId}) AS processed,
          EXISTS (SELECT 1 FROM parked_events WHERE consumer = ${consumer} AND event_id = ${eventId}) AS parked
      ), counted AS (
        INSERT INTO delivery_attempts AS a (consumer, event_id)
        SELECT ${consumer}, ${eventId} FROM seen WHERE NOT seen.processed AND NOT seen.parked
        ON CONFLICT (consumer, event_id)
        DO UPDATE SET attempts = a.attempts + 1, last_attempt_at = now()
        RETURNING a.attempts, a.last_error
      )
      SELECT seen.processed, seen.parked, counted.attempts FROM seen LEFT JOIN counted ON true`;
    await client`
      WITH settled_attempts AS (
        DELETE FROM delivery_attempts WHERE consumer = ${consumer} AND event_id = ${eventId}
      ), unparked AS (
        DELETE FROM parked_events WHERE consumer = ${consumer} AND event_id = ${eventId}
      )
      INSERT INTO processed_events (consumer, event_id) VALUES (${consumer}, ${eventId})
      ON CONFLICT DO NOTHING RETURNING event_id`;
  });
}

/** The engine's prune of its records (services/recurrence-engine retention.repository.ts). */
function pruneProcessedBatch(db: Db, retentionSeconds: number, limit: number) {
  const consumer = APP_IDS.recurrenceEngine;
  return pruneBatchUnderLock(db, `processed_events:${consumer}`, async (tx) => {
    const deleted = await tx.execute(sql`
      DELETE FROM processed_events
      WHERE consumer = ${consumer} AND event_id IN (
        SELECT event_id FROM processed_events
        WHERE consumer = ${consumer}
          AND processed_at < now() - make_interval(secs => ${retentionSeconds})
        ORDER BY processed_at
        LIMIT ${limit})`);
    return deleted.count;
  });
}

/** Live rows and total size (heap, indexes, TOAST) of each table. */
async function tableSizes(client: Sql): Promise<Record<string, { rows: number; mib: number }>> {
  const sizes: Record<string, { rows: number; mib: number }> = {};
  for (const table of ['outbox', 'processed_events', 'tasks']) {
    const [row] = await client.unsafe<{ rows: string; bytes: string }[]>(
      `SELECT (SELECT count(*) FROM ${table})::text AS rows,
              pg_total_relation_size('${table}')::text AS bytes`,
    );
    sizes[table] = { rows: Number(row!.rows), mib: Math.round(Number(row!.bytes) / 1024 / 1024) };
  }
  return sizes;
}

export function dataScaleMarkdown(result: Awaited<ReturnType<typeof dataScaleBench>>): string {
  return [
    markdownTable(result.scale),
    '',
    markdownTable(result.list),
    ...[result.bookkeeping, result.sizes]
      .filter((rows) => rows.length > 0)
      .flatMap((rows) => ['', markdownTable(rows)]),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await dataScaleBench();
  process.stdout.write(`${dataScaleMarkdown(result)}\n`);
  process.exit(0);
}
