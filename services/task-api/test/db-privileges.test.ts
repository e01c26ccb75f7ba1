import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDatabase, type DatabaseConnection } from '@todo/db';
import { createTestDatabase, loginAsRole, type TestDatabase } from '@todo/db/testing';
import type { TaskApiApp } from '../src/app.js';
import request from 'supertest';
import { PostgresRateLimitStore } from '../src/rate-limit/postgres-store.js';
import { createAppOver } from './support/test-app.js';

/**
 * task-api connected as a LOGIN user in its group role (migration 0004), as deployed: everything
 * the API does works, and the database itself refuses it the columns only the engine writes.
 */
describe('task-api database role', () => {
  let admin: TestDatabase;
  let asTaskApi: DatabaseConnection;
  let app: TaskApiApp;

  beforeAll(async () => {
    admin = await createTestDatabase();
    asTaskApi = createDatabase(await loginAsRole(admin, 'todo_task_api'), { max: 3 });
    app = createAppOver(asTaskApi.db).app;
  });
  afterAll(async () => {
    await asTaskApi.close();
    await admin.drop();
    await admin.client.end().catch(() => undefined);
  });

  it('runs every API operation under its role', async () => {
    const reg = await request(app)
      .post('/api/auth/register')
      .send({ email: 'role@example.com', password: 'role-password' })
      .expect(201);
    const auth = { Authorization: `Bearer ${reg.body.access_token}` };
    const task = (
      await request(app)
        .post('/api/tasks')
        .set(auth)
        .send({ title: 'x', recurring_type: 'daily', due_date: '2030-01-01T09:00:00Z' })
        .expect(201)
    ).body;
    await request(app)
      .patch(`/api/tasks/${task.id}`)
      .set(auth)
      .send({ title: 'y', recurrence: { rrule: 'FREQ=WEEKLY' } })
      .expect(200);
    await request(app).put(`/api/tasks/${task.id}`).set(auth).send({ title: 'z' }).expect(200);
    await request(app).post(`/api/tasks/${task.id}/complete`).set(auth).expect(200);
    await request(app).patch(`/api/tasks/${task.id}/toggle`).set(auth).expect(200);
    await request(app).get('/api/tasks?q=z').set(auth).expect(200);
    await request(app)
      .get('/api/recurrence/preview')
      .query({ rrule: 'FREQ=DAILY', start: '2026-01-01T09:00:00Z' })
      .set(auth)
      .expect(200);
    await request(app).delete(`/api/tasks/${task.id}`).set(auth).expect(204);
    // Sessions: rotate, reuse (revokes the family), password change, logout, account deletion
    // with a task left to cascade.
    const login = () =>
      request(app)
        .post('/api/auth/login')
        .send({ email: 'role@example.com', password: 'role-password' })
        .expect(200);
    const rotated = (
      await request(app)
        .post('/api/auth/refresh')
        .send({ refresh_token: reg.body.refresh_token })
        .expect(200)
    ).body;
    await request(app)
      .post('/api/auth/refresh')
      .send({ refresh_token: reg.body.refresh_token })
      .expect(401);
    await request(app)
      .get('/api/auth/me')
      .set({ Authorization: `Bearer ${rotated.access_token}` })
      .expect(401);
    const current = { Authorization: `Bearer ${(await login()).body.access_token}` };
    await login();
    await request(app)
      .post('/api/auth/password')
      .set(current)
      .send({ current_password: 'role-password', new_password: 'role-password-2' })
      .expect(204);
    await request(app)
      .post('/api/auth/logout')
      .send({ refresh_token: rotated.refresh_token })
      .expect(204);
    await request(app).post('/api/tasks').set(current).send({ title: 'left' }).expect(201);
    await request(app)
      .patch('/api/auth/me')
      .set(current)
      .send({ name: 'Role', timezone: 'Europe/Paris' })
      .expect(200);
    await request(app)
      .delete('/api/auth/me')
      .set(current)
      .send({ password: 'role-password-2' })
      .expect(204);
    expect(await admin.client`SELECT 1 FROM users`).toHaveLength(0);
    expect(await admin.client`SELECT 1 FROM auth_sessions`).toHaveLength(0);
    // The rate limits counted every one of those under the same role.
    const counters = await admin.client<{ key: string }[]>`SELECT key FROM rate_limit_hits`;
    expect(counters.map((row) => row.key.split(':')[0]).sort()).toEqual([
      'auth',
      'preview',
      'session',
      'write',
    ]);
    await expect(new PostgresRateLimitStore(asTaskApi.db, 'x:').purgeExpired()).resolves.toBe(0);
  });

  it.each([
    ['set parent_task_id', `UPDATE tasks SET parent_task_id = id`],
    ['set series_id', `UPDATE tasks SET series_id = id`],
    ['set occurrence_index', `UPDATE tasks SET occurrence_index = 5`],
    [
      'insert a child task',
      `INSERT INTO tasks (user_id, title, parent_task_id) SELECT id, 'forged', gen_random_uuid() FROM users LIMIT 1`,
    ],
    [
      'mark events processed for the engine',
      `INSERT INTO processed_events (consumer, event_id) VALUES ('recurrence-engine', 'forged')`,
    ],
  ])('cannot %s', async (_name, statement) => {
    await expect(asTaskApi.client.unsafe(statement)).rejects.toMatchObject({ code: '42501' });
  });
});
