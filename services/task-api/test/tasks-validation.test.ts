import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createTestApp, registerUser, type TestApp } from './support/test-app.js';

describe('task input validation', () => {
  let t: TestApp;
  let auth: { Authorization: string };
  let id: string;

  beforeAll(async () => {
    t = await createTestApp({ bodyLimitBytes: 20_000 });
    auth = (await registerUser(t.app)).auth;
    id = (await request(t.app).post('/api/tasks').set(auth).send({ title: 'valid' }).expect(201))
      .body.id;
  });
  afterAll(async () => {
    await t.close();
  });

  const fieldsOf = (body: { error: { details?: Array<{ field: string }> } }) =>
    (body.error.details ?? []).map((d) => d.field);

  it.each([
    ['title', { title: '' }],
    ['title', { title: 'x'.repeat(201) }],
    ['title', { title: 42 }],
    ['description', { title: 'ok', description: 'x'.repeat(5001) }],
    ['priority', { title: 'ok', priority: 'urgent' }],
    ['status', { title: 'ok', status: 'archived' }],
    ['tags', { title: 'ok', tags: 'home' }],
    ['tags', { title: 'ok', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }],
    ['tags.0', { title: 'ok', tags: ['x'.repeat(51)] }],
    ['due_date', { title: 'ok', due_date: 'tomorrow' }],
    ['due_date', { title: 'ok', due_date: '2026-03-01T09:00:00' }],
    ['recurring_type', { title: 'ok', recurring_type: 'hourly' }],
    ['recurring_end_date', { title: 'ok', recurring_end_date: '2026-03-01T09:00:00Z' }],
    ['parent_task_id', { title: 'ok', parent_task_id: '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a09' }],
    ['series_id', { title: 'ok', series_id: '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a09' }],
    ['user_id', { title: 'ok', user_id: '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a09' }],
    ['completed_at', { title: 'ok', completed_at: '2026-03-01T09:00:00Z' }],
  ])('rejects a bad %s on create with 400 naming it, and writes nothing', async (field, body) => {
    const before = await t.database.client`SELECT count(*)::int AS n FROM tasks`;
    const res = await request(t.app).post('/api/tasks').set(auth).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(fieldsOf(res.body)).toContain(field);
    const after = await t.database.client`SELECT count(*)::int AS n FROM tasks`;
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('rejects an empty PATCH and forbidden fields on PATCH and PUT', async () => {
    expect((await request(t.app).patch(`/api/tasks/${id}`).set(auth).send({})).status).toBe(400);
    const patch = await request(t.app)
      .patch(`/api/tasks/${id}`)
      .set(auth)
      .send({ parent_task_id: id });
    expect(patch.status).toBe(400);
    expect(fieldsOf(patch.body)).toContain('parent_task_id');
    const put = await request(t.app).put(`/api/tasks/${id}`).set(auth).send({ title: 'x', id });
    expect(put.status).toBe(400);
    expect(fieldsOf(put.body)).toContain('id');
  });

  it('requires a title on PUT (a full replacement)', async () => {
    const res = await request(t.app).put(`/api/tasks/${id}`).set(auth).send({ priority: 'low' });
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toContain('title');
  });

  it('answers 400 naming params.id for a malformed id', async () => {
    const res = await request(t.app).get('/api/tasks/not-a-uuid').set(auth);
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toContain('params.id');
  });

  it('answers 413 for an oversized body', async () => {
    const res = await request(t.app)
      .post('/api/tasks')
      .set(auth)
      .send({ title: 'x', description: 'y'.repeat(30_000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('answers 415 for a body that is not JSON and 400 for malformed JSON', async () => {
    const form = await request(t.app).post('/api/tasks').set(auth).type('form').send('title=hello');
    expect(form.status).toBe(415);
    const broken = await request(t.app)
      .post('/api/tasks')
      .set(auth)
      .set('content-type', 'application/json')
      .send('{"title":');
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('invalid_json');
  });

  it.each([
    ['query.status.1', 'status=pending,archived'],
    ['query.limit', 'limit=101'],
    ['query.limit', 'limit=0'],
    ['query.offset', 'offset=-1'],
    ['query.sort', 'sort=password'],
    ['query.due_before', 'due_before=soon'],
    ['query.owner', 'owner=someone'],
  ])('rejects a bad list query (%s)', async (field, query) => {
    const res = await request(t.app).get(`/api/tasks?${query}`).set(auth);
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toContain(field);
  });
});
