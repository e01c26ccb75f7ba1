import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import postgres from 'postgres';
import { runMigrations } from '../src/index.js';
import { createTestDatabase, loginAsRole, type TestDatabase } from '../src/testing/index.js';
import { createEmptyDatabase } from './migration-test-databases.js';
import { migrateThrough } from './support/migrate-through.js';

/** Rows of task_tags that tasks.tags does not hold, and tags of tasks task_tags lacks. */
async function mismatches(sql: postgres.Sql) {
  return sql`
    (SELECT 'extra' AS side, user_id, tag, task_id FROM task_tags
     EXCEPT SELECT 'extra', user_id, tag, id FROM tasks, unnest(tags) AS tag)
    UNION ALL
    (SELECT 'missing', user_id, tag, id FROM tasks, unnest(tags) AS tag WHERE tag IS NOT NULL
     EXCEPT SELECT 'missing', user_id, tag, task_id FROM task_tags)`;
}

const tagRows = async (sql: postgres.Sql, taskId: string) =>
  (
    await sql<{ tag: string }[]>`SELECT tag FROM task_tags WHERE task_id = ${taskId} ORDER BY tag`
  ).map((r) => r.tag);

describe('task_tags (migration 0016): the tags of tasks, kept by triggers', () => {
  let t: TestDatabase;
  let userId: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    const [user] = await t.client<{ id: string }[]>`
      INSERT INTO users (email, password_hash) VALUES ('tags@example.com', 'x') RETURNING id`;
    userId = user!.id;
  });
  afterAll(async () => {
    await t.drop();
  });

  const insertTask = async (tags: string[], sql: postgres.Sql = t.client) =>
    (
      await sql<{ id: string }[]>`
        INSERT INTO tasks (user_id, title, tags) VALUES (${userId}, 't', ${tags}) RETURNING id`
    )[0]!.id;

  it('holds each tag of an inserted task once, for one row or many in a statement', async () => {
    const one = await insertTask(['work', 'home', 'work']);
    expect(await tagRows(t.client, one)).toEqual(['home', 'work']);
    const many = await t.client<{ id: string }[]>`
      INSERT INTO tasks (user_id, title, tags)
      SELECT ${userId}, 'batch ' || g, ARRAY['batch', 'b' || g] FROM generate_series(1, 50) g
      RETURNING id`;
    expect(await tagRows(t.client, many[7]!.id)).toEqual(['b8', 'batch']);
    expect(await mismatches(t.client)).toEqual([]);
  });

  it('follows an update of the tags, and ignores one that leaves them alone', async () => {
    const id = await insertTask(['a', 'b']);
    await t.client`UPDATE tasks SET tags = ARRAY['b', 'c'] WHERE id = ${id}`;
    expect(await tagRows(t.client, id)).toEqual(['b', 'c']);
    await t.client`UPDATE tasks SET tags = '{}' WHERE id = ${id}`;
    expect(await tagRows(t.client, id)).toEqual([]);
    await t.client`UPDATE tasks SET tags = ARRAY['d'], title = 'renamed' WHERE id = ${id}`;
    await t.client`UPDATE tasks SET status = 'done', completed_at = now() WHERE id = ${id}`;
    expect(await tagRows(t.client, id)).toEqual(['d']);
    expect(await mismatches(t.client)).toEqual([]);
  });

  it('loses a deleted task’s rows, also when its user is deleted', async () => {
    const id = await insertTask(['gone']);
    await t.client`DELETE FROM tasks WHERE id = ${id}`;
    expect(await tagRows(t.client, id)).toEqual([]);
    const [other] = await t.client<{ id: string }[]>`
      INSERT INTO users (email, password_hash) VALUES ('leaving@example.com', 'x') RETURNING id`;
    await t.client`INSERT INTO tasks (user_id, title, tags) VALUES (${other!.id}, 'x', ARRAY['x'])`;
    await t.client`DELETE FROM users WHERE id = ${other!.id}`;
    expect(await t.client`SELECT 1 FROM task_tags WHERE user_id = ${other!.id}`).toHaveLength(0);
    expect(await mismatches(t.client)).toEqual([]);
  });

  it('leaves NULL elements out, follows a changed id and empties with TRUNCATE (0018)', async () => {
    const id = await insertTask(['n']);
    await t.client`UPDATE tasks SET tags = ARRAY['n', NULL, 'm'] WHERE id = ${id}`;
    expect(await tagRows(t.client, id)).toEqual(['m', 'n']);
    await t.client`UPDATE tasks SET tags = ARRAY[NULL, 'm'] WHERE id = ${id}`;
    expect(await tagRows(t.client, id)).toEqual(['m']);
    const [moved] = await t.client<{ id: string }[]>`
      UPDATE tasks SET id = gen_random_uuid() WHERE id = ${id} RETURNING id`;
    expect(await tagRows(t.client, id)).toEqual([]);
    expect(await tagRows(t.client, moved!.id)).toEqual(['m']);
    const nullOnly = await insertTask([null as unknown as string]);
    expect(await tagRows(t.client, nullOnly)).toEqual([]);
    expect(await mismatches(t.client)).toEqual([]);
  });

  it('is kept under the services’ roles, which write tasks and never task_tags themselves', async () => {
    const api = postgres(await loginAsRole(t, 'todo_task_api'), { max: 1, onnotice: () => {} });
    const engine = postgres(await loginAsRole(t, 'todo_recurrence_engine'), {
      max: 1,
      onnotice: () => {},
    });
    try {
      const id = await insertTask(['api'], api);
      await api`UPDATE tasks SET tags = ARRAY['api2'] WHERE id = ${id}`;
      expect(await tagRows(t.client, id)).toEqual(['api2']);
      const child = await insertTask(['engine'], engine);
      expect(await tagRows(t.client, child)).toEqual(['engine']);
      await api`DELETE FROM tasks WHERE id = ${child}`;
      expect(await tagRows(t.client, child)).toEqual([]);
      await expect(engine`DELETE FROM task_tags`).rejects.toMatchObject({ code: '42501' });
      expect(await mismatches(t.client)).toEqual([]);
    } finally {
      await Promise.all([api.end({ timeout: 5 }), engine.end({ timeout: 5 })]);
    }
  });
});

describe('migration 0017 on tasks written before the triggers', () => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createEmptyDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('copies their tags and removes a row whose task no longer holds its tag', async () => {
    await migrateThrough(t.url, '0015_list_filter_keys');
    const sql = postgres(t.url, { max: 1, onnotice: () => {} });
    try {
      const [user] = await sql<{ id: string }[]>`
        INSERT INTO users (email, password_hash) VALUES ('old@example.com', 'x') RETURNING id`;
      await sql`
        INSERT INTO tasks (user_id, title, tags)
        SELECT ${user!.id}, 'old ' || g, ARRAY['tag' || g % 3, 'all', NULL] FROM generate_series(1, 30) g`;
      await migrateThrough(t.url, '0016_task_tags');
      expect(await sql`SELECT 1 FROM task_tags`).toHaveLength(0);
      // What the copy may leave when a task changes during it: a tag the task no longer holds.
      const [task] = await sql<{ id: string }[]>`SELECT id FROM tasks LIMIT 1`;
      await sql`INSERT INTO task_tags (user_id, tag, task_id) VALUES (${user!.id}, 'stale', ${task!.id})`;
      await runMigrations(t.url);
      expect(await sql`SELECT 1 FROM task_tags`).toHaveLength(60);
      expect(await tagRows(sql, task!.id)).not.toContain('stale');
      expect(await mismatches(sql)).toEqual([]);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
});

describe('task_tags and TRUNCATE', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('is emptied with tasks', async () => {
    const [user] = await t.client<{ id: string }[]>`
      INSERT INTO users (email, password_hash) VALUES ('truncate@example.com', 'x') RETURNING id`;
    await t.client`INSERT INTO tasks (user_id, title, tags) VALUES (${user!.id}, 't', ARRAY['x'])`;
    await t.client`TRUNCATE tasks CASCADE`;
    expect(await t.client`SELECT 1 FROM task_tags`).toHaveLength(0);
  });
});

describe('migration 0017 while tasks are written', () => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createEmptyDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  // A change that removed a tag while the copy ran, still uncommitted when the copy ends: the
  // copy's row for that tag is stale only once the change commits, so the cleanup must wait.
  it('waits for a writer running when the copy ends, then removes the tag it took away', async () => {
    await migrateThrough(t.url, '0015_list_filter_keys');
    const sql = postgres(t.url, { max: 2, onnotice: () => {} });
    try {
      const [user] = await sql<{ id: string }[]>`
        INSERT INTO users (email, password_hash) VALUES ('race@example.com', 'x') RETURNING id`;
      const [task] = await sql<{ id: string }[]>`
        INSERT INTO tasks (user_id, title, tags) VALUES (${user!.id}, 'race', ARRAY['a']) RETURNING id`;
      // The triggers come after the task, so only the copy writes its row for 'a'.
      await migrateThrough(t.url, '0016_task_tags');
      const writer = await sql.reserve();
      let migrated = false;
      try {
        await writer`BEGIN`;
        await writer`UPDATE tasks SET tags = ARRAY['b'] WHERE id = ${task!.id}`;
        const migration = runMigrations(t.url).then(() => {
          migrated = true;
        });
        // Long enough for the copy (one task) to be done and the wait to have begun.
        await new Promise((resolve) => setTimeout(resolve, 1500));
        expect(migrated).toBe(false);
        await writer`COMMIT`;
        await migration;
      } finally {
        writer.release();
      }
      expect(await tagRows(sql, task!.id)).toEqual(['b']);
      expect(await mismatches(sql)).toEqual([]);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
});
