import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import postgres from 'postgres';
import { runMigrations } from '../src/index.js';
import { createTestDatabase, loginAsRole, type TestDatabase } from '../src/testing/index.js';
import { createEmptyDatabase } from './migration-test-databases.js';
import { migrateThrough } from './support/migrate-through.js';

interface Folded {
  title_folded: string | null;
  description_folded: string | null;
}

const foldedOf = async (sql: postgres.Sql, id: string) =>
  (await sql<Folded[]>`SELECT title_folded, description_folded FROM tasks WHERE id = ${id}`)[0]!;

/** Tasks whose copies are not lower() of their text (none, when the trigger and backfill work). */
const disagreeing = (sql: postgres.Sql) =>
  sql`SELECT id FROM tasks
      WHERE title_folded IS DISTINCT FROM lower(title)
         OR description_folded IS DISTINCT FROM lower(description)`;

describe('tasks.title_folded and description_folded (migration 0019)', () => {
  let t: TestDatabase;
  let userId: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    const [user] = await t.client<{ id: string }[]>`
      INSERT INTO users (email, password_hash) VALUES ('folded@example.com', 'x') RETURNING id`;
    userId = user!.id;
  });
  afterAll(async () => {
    await t.drop();
  });

  const insertTask = async (title: string, description: string | null, sql = t.client) =>
    (
      await sql<{ id: string }[]>`
        INSERT INTO tasks (user_id, title, description)
        VALUES (${userId}, ${title}, ${description}) RETURNING id`
    )[0]!.id;

  it('holds lower() of the text on insert, non-ASCII letters too, and NULL for no description', async () => {
    const id = await insertTask('Été À PARIS', 'ÇA VA Σ');
    expect(await foldedOf(t.client, id)).toEqual({
      title_folded: 'été à paris',
      description_folded: 'ça va σ',
    });
    const bare = await insertTask('Bare', null);
    expect(await foldedOf(t.client, bare)).toEqual({
      title_folded: 'bare',
      description_folded: null,
    });
  });

  it('follows a change of the text and ignores values a statement writes to the copies', async () => {
    const id = await insertTask('First', 'One');
    await t.client`UPDATE tasks SET title = 'SECOND' WHERE id = ${id}`;
    expect(await foldedOf(t.client, id)).toEqual({
      title_folded: 'second',
      description_folded: 'one',
    });
    await t.client`UPDATE tasks SET description = NULL WHERE id = ${id}`;
    expect((await foldedOf(t.client, id)).description_folded).toBeNull();
    await t.client`UPDATE tasks SET title_folded = 'forged', description_folded = 'forged' WHERE id = ${id}`;
    await t.client`UPDATE tasks SET status = 'done', completed_at = now() WHERE id = ${id}`;
    await t.client`
      INSERT INTO tasks (user_id, title, title_folded) VALUES (${userId}, 'Mine', 'forged')`;
    expect(await disagreeing(t.client)).toEqual([]);
  });

  it('folds a row again when a statement writes its copies, as an operator re-folding does (0022)', async () => {
    const id = await insertTask('Stale', 'Copies');
    await t.client.begin(async (tx) => {
      await tx`ALTER TABLE tasks DISABLE TRIGGER tasks_fold_text`;
      await tx`UPDATE tasks SET title_folded = 'old', description_folded = 'old' WHERE id = ${id}`;
      await tx`ALTER TABLE tasks ENABLE TRIGGER tasks_fold_text`;
    });
    await t.client`UPDATE tasks SET priority = 'high' WHERE id = ${id}`;
    expect((await foldedOf(t.client, id)).title_folded).toBe('old');
    await t.client`UPDATE tasks SET title_folded = NULL WHERE id = ${id}`;
    expect(await foldedOf(t.client, id)).toEqual({
      title_folded: 'stale',
      description_folded: 'copies',
    });
  });

  it('is filled under the services’ roles, which may not name the copies', async () => {
    const api = postgres(await loginAsRole(t, 'todo_task_api'), { max: 1, onnotice: () => {} });
    const engine = postgres(await loginAsRole(t, 'todo_recurrence_engine'), {
      max: 1,
      onnotice: () => {},
    });
    try {
      const id = await insertTask('API Task', 'By The API', api);
      await api`UPDATE tasks SET title = 'API Renamed' WHERE id = ${id}`;
      await insertTask('Engine Task', 'By The Engine', engine);
      await expect(api`UPDATE tasks SET title_folded = 'x' WHERE id = ${id}`).rejects.toMatchObject(
        {
          code: '42501',
        },
      );
      expect((await foldedOf(t.client, id)).title_folded).toBe('api renamed');
      expect(await disagreeing(t.client)).toEqual([]);
    } finally {
      await Promise.all([api.end({ timeout: 5 }), engine.end({ timeout: 5 })]);
    }
  });

  it('takes a new version on every update again, with 0013’s trigger back (0021)', async () => {
    const id = await insertTask('Versioned', null);
    await t.client`UPDATE tasks SET title = title WHERE id = ${id}`;
    const [row] = await t.client<{ version: number }[]>`SELECT version FROM tasks WHERE id = ${id}`;
    expect(row!.version).toBe(2);
    // 0019's form bumps this update too (the row has its copies), so read the function itself.
    const [fn] = await t.client<{ def: string }[]>`
      SELECT pg_get_functiondef('tasks_bump_version'::regproc) AS def`;
    expect(fn!.def).toContain('NEW.version := OLD.version + 1');
    expect(fn!.def).not.toContain('title_folded');
  });

  it('refuses a task without its copies, as one written with triggers disabled (0022)', async () => {
    await t.client
      .begin(async (tx) => {
        await tx`ALTER TABLE tasks DISABLE TRIGGER tasks_fold_text`;
        await expect(
          tx`INSERT INTO tasks (user_id, title) VALUES (${userId}, 'unfolded')`,
        ).rejects.toMatchObject({ code: '23514', constraint_name: 'tasks_title_folded_filled' });
        // The transaction is aborted by the error above; rolling back re-enables the trigger.
        throw new Error('rollback');
      })
      .catch((error: Error) => {
        if (error.message !== 'rollback') throw error;
      });
    expect(await insertTask('Folded Again', null)).toEqual(expect.any(String));
  });
});

describe('migration 0020 on tasks written before 0019', () => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createEmptyDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('fills their copies and leaves their version alone, while later writes bump it', async () => {
    await migrateThrough(t.url, '0018_task_tags_count_and_trigger_fixes');
    const sql = postgres(t.url, { max: 1, onnotice: () => {} });
    try {
      const [user] = await sql<{ id: string }[]>`
        INSERT INTO users (email, password_hash) VALUES ('old@example.com', 'x') RETURNING id`;
      // More than one batch of the backfill (5,000 tasks per transaction).
      await sql`
        INSERT INTO tasks (user_id, title, description)
        SELECT ${user!.id}, 'Old ' || g, CASE WHEN g % 2 = 0 THEN 'ÉTÉ ' || g END
        FROM generate_series(1, 12000) g`;
      await migrateThrough(t.url, '0019_task_text_folded');
      const [before] = await sql<{ n: number }[]>`
        SELECT count(*)::int AS n FROM tasks WHERE title_folded IS NULL`;
      expect(before!.n).toBe(12000);
      // A change between 0019 and 0020: the trigger folds the task, which takes a new version,
      // as on any change.
      const [changed] = await sql<{ id: string }[]>`
        UPDATE tasks SET title = 'Changed' WHERE id = (SELECT id FROM tasks LIMIT 1) RETURNING id`;
      await runMigrations(t.url);
      expect(await disagreeing(sql)).toEqual([]);
      const versions = await sql<{ version: number; n: number }[]>`
        SELECT version, count(*)::int AS n FROM tasks GROUP BY version ORDER BY version`;
      expect(versions).toEqual([
        { version: 1, n: 11999 },
        { version: 2, n: 1 },
      ]);
      const [changedRow] = await sql<{ version: number }[]>`
        SELECT version FROM tasks WHERE id = ${changed!.id}`;
      expect(changedRow!.version).toBe(2);
      // 0021 put back 0013's trigger: an update that changes nothing takes a version again.
      await sql`UPDATE tasks SET title = title WHERE id = ${changed!.id}`;
      const [after] = await sql<{ version: number }[]>`
        SELECT version FROM tasks WHERE id = ${changed!.id}`;
      expect(after!.version).toBe(3);
      const indexes = await sql<{ indexname: string }[]>`
        SELECT indexname FROM pg_indexes WHERE tablename = 'tasks' AND indexname LIKE '%trgm%'
        ORDER BY indexname`;
      expect(indexes.map((i) => i.indexname)).toEqual([
        'tasks_user_description_folded_trgm_idx',
        'tasks_user_title_folded_trgm_idx',
      ]);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
});

describe('migration 0020 beside a writer holding an older task', () => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createEmptyDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  // A batch that waited for the held task while keeping the rows it had already filled locked
  // would block every writer of those rows (and could deadlock with one locking several tasks in
  // another order): the backfill skips a locked task and comes back to it, holding nothing.
  it('goes past a locked task without holding others, and fills it once it is released', async () => {
    await migrateThrough(t.url, '0018_task_tags_count_and_trigger_fixes');
    const sql = postgres(t.url, { max: 3, onnotice: () => {} });
    try {
      const [user] = await sql<{ id: string }[]>`
        INSERT INTO users (email, password_hash) VALUES ('held@example.com', 'x') RETURNING id`;
      await sql`
        INSERT INTO tasks (user_id, title)
        SELECT ${user!.id}, 'Held ' || g FROM generate_series(1, 6000) g`;
      await migrateThrough(t.url, '0019_task_text_folded');
      // Halfway through the first batch (5,000 tasks in id order).
      const [held] = await sql<
        { id: string }[]
      >`SELECT id FROM tasks ORDER BY id OFFSET 2499 LIMIT 1`;
      const holder = await sql.reserve();
      let migrated = false;
      try {
        await holder`BEGIN`;
        await holder`SELECT id FROM tasks WHERE id = ${held!.id} FOR UPDATE`;
        const migration = runMigrations(t.url).then(() => {
          migrated = true;
        });
        await new Promise((resolve) => setTimeout(resolve, 1500));
        expect(migrated).toBe(false);
        // Every other task can be written meanwhile, without waiting for the backfill.
        await sql.begin(async (tx) => {
          await tx`SET LOCAL lock_timeout = '3s'`;
          await tx`UPDATE tasks SET priority = 'high' WHERE id <> ${held!.id}`;
        });
        await holder`COMMIT`;
        await migration;
      } finally {
        holder.release();
      }
      expect(await disagreeing(sql)).toEqual([]);
      const [row] = await sql<
        { version: number }[]
      >`SELECT version FROM tasks WHERE id = ${held!.id}`;
      expect(row!.version).toBe(1);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
});
