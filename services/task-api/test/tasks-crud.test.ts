import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { taskEventSchema, TASK_EVENT_TYPES } from '@todo/contracts';
import request from 'supertest';
import { outboxRows } from './support/outbox.js';
import { createTestApp, registerUser, type TestApp } from './support/test-app.js';

type Auth = { Authorization: string };

describe('tasks', () => {
  let t: TestApp;
  let auth: Auth;
  let userId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const user = await registerUser(t.app, 'Europe/Paris');
    auth = user.auth;
    userId = user.id;
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (body: Record<string, unknown>) =>
    request(t.app).post('/api/tasks').set(auth).send(body);

  it('creates a task with defaults and records a created event in the outbox', async () => {
    const res = await create({ title: '  Buy milk  ' }).expect(201);
    expect(res.headers.location).toBe(`/api/tasks/${res.body.id}`);
    expect(res.body).toMatchObject({
      title: 'Buy milk',
      description: null,
      priority: 'medium',
      status: 'pending',
      tags: [],
      due_date: null,
      completed_at: null,
      recurring_type: 'none',
      recurrence: null,
      parent_task_id: null,
      series_id: res.body.id,
    });
    const events = await outboxRows(t.database, res.body.id);
    expect(events.map((e) => e.type)).toEqual([TASK_EVENT_TYPES.created]);
    expect(events[0]!.aggregate_id).toBe(res.body.id);
    const parsed = taskEventSchema.parse({ type: events[0]!.type, data: events[0]!.payload });
    expect(parsed.type === TASK_EVENT_TYPES.created && parsed.data.task.user_id).toBe(userId);
  });

  it('stores the original recurrence shorthand as an RRULE in the user zone', async () => {
    const res = await create({
      title: 'Standup',
      due_date: '2026-03-02T09:00:00+01:00',
      recurring_type: 'weekly',
      recurring_end_date: '2026-06-30T00:00:00Z',
      tags: ['work', 'work', 'daily'],
    }).expect(201);
    expect(res.body).toMatchObject({
      due_date: '2026-03-02T08:00:00.000Z',
      recurring_type: 'weekly',
      recurring_end_date: '2026-06-30T00:00:00.000Z',
      recurrence: {
        rrule: 'FREQ=WEEKLY;UNTIL=20260630T000000Z',
        timezone: 'Europe/Paris',
        anchor: 'due',
      },
      tags: ['work', 'daily'],
    });
  });

  it('gets, patches and replaces a task, each change recorded once', async () => {
    const created = await create({ title: 'Draft', priority: 'low', tags: ['a'] }).expect(201);
    const id = created.body.id as string;
    expect((await request(t.app).get(`/api/tasks/${id}`).set(auth).expect(200)).body.title).toBe(
      'Draft',
    );

    const patched = await request(t.app)
      .patch(`/api/tasks/${id}`)
      .set(auth)
      .send({ priority: 'high' })
      .expect(200);
    expect(patched.body).toMatchObject({ title: 'Draft', priority: 'high', tags: ['a'] });

    const replaced = await request(t.app)
      .put(`/api/tasks/${id}`)
      .set(auth)
      .send({ title: 'Final' })
      .expect(200);
    expect(replaced.body).toMatchObject({ title: 'Final', priority: 'medium', tags: [] });

    const types = (await outboxRows(t.database, id)).map((e) => e.type);
    expect(types).toEqual([
      TASK_EVENT_TYPES.created,
      TASK_EVENT_TYPES.updated,
      TASK_EVENT_TYPES.updated,
    ]);
    const lastUpdate = (await outboxRows(t.database, id))[2]!.payload as { changed: string[] };
    expect(lastUpdate.changed.sort()).toEqual(['priority', 'tags', 'title']);
  });

  it('writes no event for a change that changes nothing', async () => {
    const id = (await create({ title: 'Same' }).expect(201)).body.id as string;
    await request(t.app).patch(`/api/tasks/${id}`).set(auth).send({ title: 'Same' }).expect(200);
    expect((await outboxRows(t.database, id)).map((e) => e.type)).toEqual([
      TASK_EVENT_TYPES.created,
    ]);
  });

  it('completes and reopens idempotently, with the completed event carrying what the engine needs', async () => {
    const id = (
      await create({
        title: 'Water plants',
        description: 'balcony',
        priority: 'high',
        tags: ['home'],
        due_date: '2026-03-01T08:00:00Z',
        recurring_type: 'daily',
      }).expect(201)
    ).body.id as string;

    const done = await request(t.app).post(`/api/tasks/${id}/complete`).set(auth).expect(200);
    expect(done.body.status).toBe('done');
    expect(done.body.completed_at).not.toBeNull();
    await request(t.app).post(`/api/tasks/${id}/complete`).set(auth).expect(200);

    const reopened = await request(t.app).post(`/api/tasks/${id}/reopen`).set(auth).expect(200);
    expect(reopened.body).toMatchObject({ status: 'pending', completed_at: null });
    await request(t.app).post(`/api/tasks/${id}/reopen`).set(auth).expect(200);

    const events = await outboxRows(t.database, id);
    expect(events.map((e) => e.type)).toEqual([
      TASK_EVENT_TYPES.created,
      TASK_EVENT_TYPES.completed,
      TASK_EVENT_TYPES.reopened,
    ]);
    expect(events[1]!.payload).toEqual({
      task_id: id,
      user_id: userId,
      series_id: id,
      parent_task_id: null,
      title: 'Water plants',
      description: 'balcony',
      priority: 'high',
      tags: ['home'],
      due_at: '2026-03-01T08:00:00.000Z',
      recurrence: {
        rrule: 'FREQ=DAILY',
        timezone: 'Europe/Paris',
        anchor: 'due',
        overdue: 'skip',
        dtstart: '2026-03-01T08:00:00.000Z',
      },
      occurrence_index: 0,
      completed_at: done.body.completed_at,
    });
    for (const event of events) {
      expect(taskEventSchema.safeParse({ type: event.type, data: event.payload }).success).toBe(
        true,
      );
    }
  });

  it('keeps the original routes working: PUT with status and PATCH toggle', async () => {
    const id = (await create({ title: 'Legacy' }).expect(201)).body.id as string;
    const put = await request(t.app)
      .put(`/api/tasks/${id}`)
      .set(auth)
      .send({ title: 'Legacy', status: 'done' })
      .expect(200);
    expect(put.body.status).toBe('done');
    const toggled = await request(t.app).patch(`/api/tasks/${id}/toggle`).set(auth).expect(200);
    expect(toggled.body.status).toBe('pending');
    const again = await request(t.app).patch(`/api/tasks/${id}/toggle`).set(auth).expect(200);
    expect(again.body.status).toBe('done');
    expect((await outboxRows(t.database, id)).map((e) => e.type)).toEqual([
      TASK_EVENT_TYPES.created,
      TASK_EVENT_TYPES.completed,
      TASK_EVENT_TYPES.reopened,
      TASK_EVENT_TYPES.completed,
    ]);
  });

  it('deletes a task, records the deletion, and then answers 404', async () => {
    const id = (await create({ title: 'Temp' }).expect(201)).body.id as string;
    await request(t.app).delete(`/api/tasks/${id}`).set(auth).expect(204);
    await request(t.app).get(`/api/tasks/${id}`).set(auth).expect(404);
    await request(t.app).delete(`/api/tasks/${id}`).set(auth).expect(404);
    const events = await outboxRows(t.database, id);
    expect(events.map((e) => e.type)).toEqual([TASK_EVENT_TYPES.created, TASK_EVENT_TYPES.deleted]);
  });

  it('keeps the caller’s traceparent on the outbox row', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const id = (
      await request(t.app)
        .post('/api/tasks')
        .set(auth)
        .set('traceparent', traceparent)
        .send({ title: 'Traced' })
        .expect(201)
    ).body.id as string;
    expect((await outboxRows(t.database, id))[0]!.traceparent).toBe(traceparent);
  });
});
