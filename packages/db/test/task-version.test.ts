import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import postgres from 'postgres';
import { runMigrations } from '../src/index.js';
import { createTestDatabase, loginAsRole, type TestDatabase } from '../src/testing/index.js';
import { migrateThrough } from './support/migrate-through.js';

const versionOf = async (sql: postgres.Sql, id: string) =>
  (await sql<{ version: number }[]>`SELECT version FROM tasks WHERE id = ${id}`)[0]?.version;

describe('tasks.version (migration 0013)', () => {
  let t: TestDatabase;
  let userId: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    const [user] = await t.client<{ id: string }[]>`
      INSERT INTO users (email, password_hash) VALUES ('version@example.com', 'x') RETURNING id`;
    userId = user!.id;
  });
  afterAll(async () => {
    await t.drop();
  });

  const insertTask = async (sql: postgres.Sql = t.client) =>
    (
      await sql<{ id: string; version: number }[]>`
        INSERT INTO tasks (user_id, title) VALUES (${userId}, 'v') RETURNING id, version`
    )[0]!;

  it('starts at 1 and takes the next number on every update, also one that changes nothing', async () => {
    const task = await insertTask();
    expect(task.version).toBe(1);
    await t.client`UPDATE tasks SET title = 'w' WHERE id = ${task.id}`;
    expect(await versionOf(t.client, task.id)).toBe(2);
    await t.client`UPDATE tasks SET title = title WHERE id = ${task.id}`;
    expect(await versionOf(t.client, task.id)).toBe(3);
  });

  it('ignores a version the statement names: a writer can neither rewind nor skip it', async () => {
    const task = await insertTask();
    await t.client`UPDATE tasks SET version = 1, title = 'x' WHERE id = ${task.id}`;
    expect(await versionOf(t.client, task.id)).toBe(2);
    await t.client`UPDATE tasks SET version = 100 WHERE id = ${task.id}`;
    expect(await versionOf(t.client, task.id)).toBe(3);
  });

  it('is not changed by a row lock (the engine locks the completed task with FOR UPDATE)', async () => {
    const task = await insertTask();
    await t.client.begin(async (tx) => {
      await tx`SELECT id FROM tasks WHERE id = ${task.id} FOR UPDATE`;
    });
    expect(await versionOf(t.client, task.id)).toBe(1);
  });

  it('bumps under the task-api role, which has no UPDATE privilege on the column', async () => {
    const api = postgres(await loginAsRole(t, 'todo_task_api'), { max: 1, onnotice: () => {} });
    try {
      const task = await insertTask();
      const [row] = await api<{ version: number }[]>`
        UPDATE tasks SET title = 'api' WHERE id = ${task.id} RETURNING version`;
      expect(row!.version).toBe(2);
      await expect(api`UPDATE tasks SET version = 9 WHERE id = ${task.id}`).rejects.toMatchObject({
        code: '42501',
      });
    } finally {
      await api.end({ timeout: 5 });
    }
  });
});

describe('migration 0013 on rows written before it', () => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase();
    await t.client.unsafe(
      'DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS drizzle CASCADE;',
    );
  });
  afterAll(async () => {
    await t.drop();
  });

  it('gives existing tasks version 1, and their next update 2', async () => {
    await migrateThrough(t.url, '0012_list_filter_indexes');
    const sql = postgres(t.url, { max: 1, onnotice: () => {} });
    try {
      const [user] = await sql<{ id: string }[]>`
        INSERT INTO users (email, password_hash) VALUES ('old@example.com', 'x') RETURNING id`;
      const [task] = await sql<{ id: string }[]>`
        INSERT INTO tasks (user_id, title) VALUES (${user!.id}, 'old') RETURNING id`;
      await runMigrations(t.url);
      expect(await versionOf(sql, task!.id)).toBe(1);
      await sql`UPDATE tasks SET title = 'new' WHERE id = ${task!.id}`;
      expect(await versionOf(sql, task!.id)).toBe(2);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
});
