import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { outboxRows } from './support/outbox.js';
import { createTestApp, registerUser, type TestApp } from './support/test-app.js';

describe('cross-user access', () => {
  let t: TestApp;
  let owner: { Authorization: string };
  let intruder: { Authorization: string };
  let id: string;

  beforeAll(async () => {
    t = await createTestApp();
    owner = (await registerUser(t.app)).auth;
    intruder = (await registerUser(t.app)).auth;
    id = (
      await request(t.app)
        .post('/api/tasks')
        .set(owner)
        .send({ title: 'Secret plan', description: 'top secret' })
        .expect(201)
    ).body.id;
  });
  afterAll(async () => {
    await t.close();
  });

  const attempts: Array<[string, (auth: { Authorization: string }) => request.Test]> = [
    ['GET', (auth) => request(t.app).get(`/api/tasks/${id}`).set(auth)],
    [
      'PATCH',
      (auth) => request(t.app).patch(`/api/tasks/${id}`).set(auth).send({ title: 'pwned' }),
    ],
    ['PUT', (auth) => request(t.app).put(`/api/tasks/${id}`).set(auth).send({ title: 'pwned' })],
    ['DELETE', (auth) => request(t.app).delete(`/api/tasks/${id}`).set(auth)],
    ['complete', (auth) => request(t.app).post(`/api/tasks/${id}/complete`).set(auth)],
    ['reopen', (auth) => request(t.app).post(`/api/tasks/${id}/reopen`).set(auth)],
    ['toggle', (auth) => request(t.app).patch(`/api/tasks/${id}/toggle`).set(auth)],
  ];

  it.each(attempts)(
    '%s on another user’s task answers 404 without its data',
    async (_name, attempt) => {
      const res = await attempt(intruder);
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('Secret plan');
      expect(JSON.stringify(res.body)).not.toContain('top secret');
    },
  );

  it('left the task and its outbox untouched', async () => {
    const res = await request(t.app).get(`/api/tasks/${id}`).set(owner).expect(200);
    expect(res.body).toMatchObject({ title: 'Secret plan', status: 'pending' });
    expect((await outboxRows(t.database, id)).length).toBe(1);
  });

  it('never lists another user’s tasks', async () => {
    const res = await request(t.app).get('/api/tasks').set(intruder).expect(200);
    expect(res.body.total).toBe(0);
    expect(res.body.items).toEqual([]);
  });

  it('requires a token on every task route', async () => {
    expect((await request(t.app).get('/api/tasks')).status).toBe(401);
    expect((await request(t.app).get(`/api/tasks/${id}`)).status).toBe(401);
    expect((await request(t.app).post('/api/tasks').send({ title: 'x' })).status).toBe(401);
  });
});
