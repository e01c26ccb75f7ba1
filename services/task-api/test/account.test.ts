import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ACCOUNT_DELETED_CHANGE } from '@todo/contracts';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { eventually } from '@todo/service-runtime/testing';
import type { TaskApiApp } from '../src/app.js';
import request from 'supertest';
import {
  createClockedApp,
  refreshCookieValue,
  sessionIdOf,
  testClock,
} from './support/session-app.js';

const PASSWORD = 'correct horse battery staple';
let counter = 0;

describe('account', () => {
  let database: TestDatabase;
  let app: TaskApiApp;
  beforeAll(async () => {
    database = await createTestDatabase();
    app = createClockedApp(database.db, testClock());
  });
  afterAll(async () => {
    await database.drop();
  });

  async function signIn(email: string, password = PASSWORD) {
    return (await request(app).post('/api/auth/login').send({ email, password }).expect(200))
      .body as Record<string, string>;
  }
  async function register() {
    counter += 1;
    const email = `account${counter}@example.com`;
    const body = (
      await request(app).post('/api/auth/register').send({ email, password: PASSWORD }).expect(201)
    ).body;
    return { email, id: body.user.id as string, first: body as Record<string, string> };
  }
  const me = (accessToken: string) =>
    request(app).get('/api/auth/me').set('Authorization', `Bearer ${accessToken}`);
  const refresh = (refreshToken: string) =>
    request(app).post('/api/auth/refresh').send({ refresh_token: refreshToken });
  const bearer = (session: Record<string, string>) => ({
    Authorization: `Bearer ${session.access_token}`,
  });

  describe('change password', () => {
    it('ends every other session (access and refresh tokens) and keeps the caller’s', async () => {
      const { email, first } = await register();
      const second = await signIn(email);
      const third = await signIn(email);
      await request(app)
        .post('/api/auth/password')
        .set(bearer(first))
        .send({ current_password: PASSWORD, new_password: 'a brand new passphrase' })
        .expect(204);

      for (const other of [second, third]) {
        const refused = await me(other.access_token!);
        expect(refused.status).toBe(401);
        expect(refused.body.error.message).toBe('session has ended');
        await refresh(other.refresh_token!).expect(401);
      }
      const reasons = await database.client<{ revoked_reason: string }[]>`
        SELECT revoked_reason FROM auth_sessions
        WHERE id IN (${sessionIdOf(second.access_token!)}, ${sessionIdOf(third.access_token!)})`;
      expect(reasons.map((row) => row.revoked_reason)).toEqual([
        'password_changed',
        'password_changed',
      ]);

      await me(first.access_token!).expect(200);
      await refresh(first.refresh_token!).expect(200);
      await request(app).post('/api/auth/login').send({ email, password: PASSWORD }).expect(401);
      await signIn(email, 'a brand new passphrase');
    });

    it('refuses a wrong current password with 400 naming current_password, changing nothing', async () => {
      const { email, first } = await register();
      const other = await signIn(email);
      const res = await request(app)
        .post('/api/auth/password')
        .set(bearer(first))
        .send({ current_password: 'not the password', new_password: 'a brand new passphrase' });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([
        { field: 'current_password', message: expect.any(String) },
      ]);
      await me(other.access_token!).expect(200);
      await signIn(email);
    });

    it.each([
      ['new_password', { current_password: PASSWORD, new_password: 'short' }],
      ['current_password', { new_password: 'long enough password' }],
      ['extra', { current_password: PASSWORD, new_password: 'long enough password', extra: 1 }],
    ])('names the bad field %s', async (field, body) => {
      const { first } = await register();
      const res = await request(app).post('/api/auth/password').set(bearer(first)).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('needs an access token', async () => {
      await request(app)
        .post('/api/auth/password')
        .send({ current_password: PASSWORD, new_password: 'long enough password' })
        .expect(401);
    });
  });

  describe('delete account', () => {
    const countOf = async (table: 'tasks' | 'auth_sessions', userId: string) =>
      (
        await database.client<{ n: number }[]>`
          SELECT count(*)::int AS n FROM ${database.client(table)} WHERE user_id = ${userId}`
      )[0]!.n;

    it('removes the user, their tasks, sessions and refresh tokens, tells the stream, and every old token answers 401', async () => {
      const { email, id, first } = await register();
      const other = await signIn(email);
      for (const title of ['one', 'two'])
        await request(app).post('/api/tasks').set(bearer(first)).send({ title }).expect(201);
      const sessionIds = [sessionIdOf(first.access_token!), sessionIdOf(other.access_token!)];

      const res = await request(app)
        .delete('/api/auth/me')
        .set(bearer(first))
        .send({ password: PASSWORD })
        .expect(204);
      expect(refreshCookieValue(res)).toBe('');

      expect(await countOf('tasks', id)).toBe(0);
      expect(await countOf('auth_sessions', id)).toBe(0);
      const tokens = await database.client`
        SELECT 1 FROM refresh_tokens WHERE session_id IN ${database.client(sessionIds)}`;
      expect(tokens).toHaveLength(0);
      expect(await database.client`SELECT 1 FROM users WHERE id = ${id}`).toHaveLength(0);

      const changes = await database.client<{ type: string; payload: unknown; event_id: string }[]>`
        SELECT type, payload, event_id FROM task_changes WHERE user_id = ${id} ORDER BY seq`;
      expect(changes.at(-1)).toEqual({
        type: ACCOUNT_DELETED_CHANGE,
        payload: {},
        event_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      expect(ACCOUNT_DELETED_CHANGE).toBe('account.deleted');

      // The other session's access token was believed live on this replica: forgotten at once.
      for (const session of [first, other]) {
        await me(session.access_token!).expect(401);
        await refresh(session.refresh_token!).expect(401);
      }
      await request(app).post('/api/auth/login').send({ email, password: PASSWORD }).expect(401);
    });

    it('refuses a wrong or missing password with 400 naming password, deleting nothing', async () => {
      const { id, first } = await register();
      const wrong = await request(app)
        .delete('/api/auth/me')
        .set(bearer(first))
        .send({ password: 'not the password' });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.details).toEqual([
        { field: 'password', message: expect.any(String) },
      ]);
      const missing = await request(app).delete('/api/auth/me').set(bearer(first)).send({});
      expect(missing.status).toBe(400);
      expect(missing.body.error.details[0].field).toBe('password');
      await me(first.access_token!).expect(200);
      expect(await countOf('auth_sessions', id)).toBe(1);
    });

    it('waits for a next occurrence the engine is creating, then deletes it too (no deadlock)', async () => {
      const { id, first } = await register();
      const parent = (
        await request(app)
          .post('/api/tasks')
          .set(bearer(first))
          .send({ title: 'daily', recurring_type: 'daily', due_date: '2031-03-01T09:00:00Z' })
          .expect(201)
      ).body;
      let deletion: Promise<request.Response> | undefined;
      // What the engine does for a completion: lock the parent, then insert the child, whose
      // foreign key locks the user row. The deletion starts in between.
      await database.client.begin(async (engine) => {
        await engine`SELECT id FROM tasks WHERE id = ${parent.id} FOR UPDATE`;
        deletion = request(app)
          .delete('/api/auth/me')
          .set(bearer(first))
          .send({ password: PASSWORD })
          .then((res) => res);
        await eventually(
          async () =>
            (
              await database.client<{ n: number }[]>`
                SELECT count(*)::int AS n FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock'`
            )[0]!.n > 0,
          { what: 'the deletion waiting for the task lock' },
        );
        await engine`
          INSERT INTO tasks (user_id, title, parent_task_id, series_id)
          VALUES (${id}, 'daily', ${parent.id}, ${parent.id})`;
      });
      expect((await deletion!).status).toBe(204);
      expect(await countOf('tasks', id)).toBe(0);
    });
  });
});
