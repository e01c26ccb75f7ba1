import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import postgres from 'postgres';
import { eventually } from '@todo/service-runtime/testing';
import { createTestDatabase, loginAsRole, type TestDatabase } from '../src/testing/index.js';

/** The change log behind task-api's live stream (migration 0009), under the services' roles. */
describe('task_changes', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('numbers changes as they are inserted by either service, and notifies the user id', async () => {
    const engine = postgres(await loginAsRole(t, 'todo_recurrence_engine'), { max: 1 });
    const api = postgres(await loginAsRole(t, 'todo_task_api'), { max: 1 });
    const heard: string[] = [];
    const listening = await api.listen('task_changes', (payload) => heard.push(payload));
    try {
      const userId = randomUUID();
      // No RETURNING: the engine may append, not read (RETURNING needs SELECT).
      const insert = (sql: postgres.Sql, type: string) =>
        sql`INSERT INTO task_changes (user_id, event_id, type, payload)
            VALUES (${userId}, ${randomUUID()}, ${type}, ${sql.json({ type })})`;
      await insert(api, 'task.created.v1');
      await insert(engine, 'task.series_ended.v1');
      const seqs =
        await api`SELECT seq, type FROM task_changes WHERE user_id = ${userId} ORDER BY seq`;
      expect(seqs.map((row) => row.type)).toEqual(['task.created.v1', 'task.series_ended.v1']);
      expect(BigInt(seqs[1]!.seq as string)).toBeGreaterThan(BigInt(seqs[0]!.seq as string));

      await eventually(() => heard.length >= 2, { what: 'two notifications' });
      expect(heard).toEqual([userId, userId]);

      // task-api reads and prunes the log; the engine only appends to it.
      await expect(engine`SELECT seq FROM task_changes`).rejects.toThrow(/permission denied/);
      await expect(engine`DELETE FROM task_changes`).rejects.toThrow(/permission denied/);
      await api`DELETE FROM task_changes WHERE user_id = ${userId}`;
    } finally {
      await listening.unlisten();
      await Promise.all([engine.end(), api.end()]);
    }
  });

  it('lets task-api delete an account, taking its sessions and refresh tokens with it', async () => {
    const api = postgres(await loginAsRole(t, 'todo_task_api'), { max: 1 });
    try {
      const [user] = await api`
        INSERT INTO users (email, password_hash) VALUES ('gone@example.com', 'x') RETURNING id`;
      const [session] = await api`
        INSERT INTO auth_sessions (user_id, expires_at)
        VALUES (${user!.id as string}, now() + interval '30 days') RETURNING id`;
      await api`
        INSERT INTO refresh_tokens (token_hash, session_id, expires_at)
        VALUES ('hash', ${session!.id as string}, now() + interval '30 days')`;
      await api`DELETE FROM users WHERE id = ${user!.id as string}`;
      expect(await api`SELECT 1 FROM auth_sessions`).toHaveLength(0);
      expect(await api`SELECT 1 FROM refresh_tokens`).toHaveLength(0);
    } finally {
      await api.end();
    }
  });
});
