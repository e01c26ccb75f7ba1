import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  EVENT_SOURCES,
  RECURRENCE_ENGINE_EVENTS_ROUTE,
  toDeliveredCloudEvent,
} from '@todo/contracts';
import { outbox } from '@todo/db';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import {
  createAccessTokens,
  createApp as createTaskApi,
  createPasswordHasher,
} from '@todo/task-api';
import type { Express } from 'express';
import request from 'supertest';
import {
  APP_TOKEN,
  captureLogs,
  createEngineTestApp,
  type EngineTestApp,
} from './support/engine-app.js';

/**
 * The whole recurrence flow in one process: task-api writes the completion and its outbox event,
 * the event is delivered to the engine's route as Dapr would deliver it, and the next occurrence
 * is read back through task-api.
 */
// Due dates are in 2030 because completions happen now (task-api reads the clock): completing
// early keeps the schedule, while an overdue completion would skip ahead to after today.
describe('recurrence flow (task-api → outbox → engine → task-api)', () => {
  let database: TestDatabase;
  let api: Express;
  let engine: EngineTestApp;
  let auth: { Authorization: string };
  const delivered = new Set<string>();

  beforeAll(async () => {
    database = await createTestDatabase();
    api = createTaskApi({
      db: database.db,
      logger: captureLogs().logger,
      tokens: createAccessTokens({
        secret: 'flow-test-secret-that-is-long-enough-0123456789',
        issuer: 'i',
        audience: 'a',
        ttlSeconds: 600,
      }),
      hasher: createPasswordHasher(),
      ready: async () => {},
      config: {
        corsOrigins: [],
        bodyLimitBytes: 100_000,
        authRateLimitPerMinute: 100,
        trustProxyHops: 0,
        docsEnabled: false,
      },
    });
    engine = await createEngineTestApp({ database });
    const reg = await request(api)
      .post('/api/auth/register')
      .send({ email: 'flow@example.com', password: 'flow-password', timezone: 'Europe/Paris' })
      .expect(201);
    auth = { Authorization: `Bearer ${reg.body.access_token}` };
  });
  afterAll(async () => {
    await database.drop();
  });

  /** Delivers every outbox event not yet delivered, in commit order, and returns the engine's answers. */
  async function deliverOutbox(): Promise<string[]> {
    const rows = await database.db.select().from(outbox).orderBy(outbox.createdAt, outbox.eventId);
    const statuses: string[] = [];
    for (const row of rows.filter((r) => !delivered.has(r.eventId))) {
      delivered.add(row.eventId);
      const envelope = toDeliveredCloudEvent({
        id: row.eventId,
        source: EVENT_SOURCES.taskApi,
        type: row.type,
        data: row.payload,
        time: row.createdAt.toISOString(),
        traceparent: row.traceparent,
      });
      const res = await request(engine.app)
        .post(RECURRENCE_ENGINE_EVENTS_ROUTE)
        .set('dapr-api-token', APP_TOKEN)
        .send(envelope)
        .expect(200);
      statuses.push(res.body.status);
    }
    return statuses;
  }

  const seriesTasks = async (seriesId: string) => {
    const res = await request(api)
      .get('/api/tasks')
      .query({ sort: 'due_date', limit: 100 })
      .set(auth)
      .expect(200);
    return (
      res.body.items as Array<{
        id: string;
        series_id: string;
        due_date: string;
        status: string;
        parent_task_id: string | null;
      }>
    ).filter((task) => task.series_id === seriesId);
  };

  it('creates the next occurrence, visible through task-api with the right fields', async () => {
    const created = await request(api)
      .post('/api/tasks')
      .set(auth)
      .send({
        title: 'Pay rent',
        description: 'Transfer',
        priority: 'high',
        tags: ['home'],
        due_date: '2030-01-31T09:00:00+01:00',
        recurring_type: 'monthly',
      })
      .expect(201);
    await request(api).post(`/api/tasks/${created.body.id}/complete`).set(auth).expect(200);
    expect(await deliverOutbox()).toEqual(['SUCCESS', 'SUCCESS']);

    const series = await seriesTasks(created.body.id);
    expect(series).toHaveLength(2);
    const child = series.find((task) => task.parent_task_id === created.body.id)!;
    const full = (await request(api).get(`/api/tasks/${child.id}`).set(auth).expect(200)).body;
    expect(full).toMatchObject({
      title: 'Pay rent',
      description: 'Transfer',
      priority: 'high',
      tags: ['home'],
      status: 'pending',
      due_date: '2030-02-28T08:00:00.000Z',
      recurring_type: 'monthly',
      occurrence_index: 1,
      series_id: created.body.id,
    });
  });

  it('follows a chain of completions with the right due dates, ending at COUNT', async () => {
    const created = await request(api)
      .post('/api/tasks')
      .set(auth)
      .send({
        title: 'Standup',
        due_date: '2030-03-29T09:00:00+01:00',
        recurrence: { rrule: 'FREQ=DAILY;COUNT=4' },
      })
      .expect(201);
    let current = created.body.id as string;
    for (let i = 0; i < 5; i += 1) {
      await request(api).post(`/api/tasks/${current}/complete`).set(auth).expect(200);
      await deliverOutbox();
      const open = (await seriesTasks(created.body.id)).filter((task) => task.status === 'pending');
      if (open.length === 0) break;
      current = open[0]!.id;
    }
    const dues = (await seriesTasks(created.body.id)).map((task) => task.due_date);
    // 09:00 in Paris on both sides of the spring-forward night of 2030-03-31.
    expect(dues).toEqual([
      '2030-03-29T08:00:00.000Z',
      '2030-03-30T08:00:00.000Z',
      '2030-03-31T07:00:00.000Z',
      '2030-04-01T07:00:00.000Z',
    ]);
    const ended =
      await database.client`SELECT payload FROM outbox WHERE type = 'com.todo.task.series_ended.v1' AND aggregate_id = ${created.body.id}`;
    expect(ended).toHaveLength(1);
  });

  it('complete, reopen, complete again creates exactly one child', async () => {
    const created = await request(api)
      .post('/api/tasks')
      .set(auth)
      .send({ title: 'Gym', due_date: '2030-04-01T07:00:00Z', recurring_type: 'weekly' })
      .expect(201);
    const id = created.body.id as string;
    await request(api).post(`/api/tasks/${id}/complete`).set(auth).expect(200);
    await request(api).post(`/api/tasks/${id}/reopen`).set(auth).expect(200);
    await request(api).patch(`/api/tasks/${id}/toggle`).set(auth).expect(200);
    await deliverOutbox();
    const children = (await seriesTasks(id)).filter((task) => task.parent_task_id === id);
    expect(children).toHaveLength(1);
    expect(children[0]!.due_date).toBe('2030-04-08T07:00:00.000Z');
  });

  it('redelivering every event leaves exactly one child per completion', async () => {
    const before = await database.client`SELECT count(*)::int AS n FROM tasks`;
    delivered.clear();
    const statuses = await deliverOutbox();
    expect(statuses.every((status) => status === 'SUCCESS')).toBe(true);
    const after = await database.client`SELECT count(*)::int AS n FROM tasks`;
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('completing an overdue occurrence creates the next one after the completion', async () => {
    const due = new Date(Date.now() - 3 * 86_400_000);
    due.setUTCHours(9, 0, 0, 0);
    const created = await request(api)
      .post('/api/tasks')
      .set(auth)
      .send({
        title: 'Vitamins',
        due_date: due.toISOString(),
        recurrence: { rrule: 'FREQ=DAILY', timezone: 'UTC' },
      })
      .expect(201);
    const done = await request(api)
      .post(`/api/tasks/${created.body.id}/complete`)
      .set(auth)
      .expect(200);
    await deliverOutbox();
    const child = (await seriesTasks(created.body.id)).find(
      (task) => task.parent_task_id === created.body.id,
    )!;
    const childDue = new Date(child.due_date).getTime();
    const completedAt = new Date(done.body.completed_at).getTime();
    expect(childDue).toBeGreaterThan(completedAt);
    expect(childDue - completedAt).toBeLessThanOrEqual(86_400_000);
    expect(new Date(child.due_date).getUTCHours()).toBe(9);
  });

  it('deleting a task stops its series', async () => {
    const created = await request(api)
      .post('/api/tasks')
      .set(auth)
      .send({ title: 'Water', recurring_type: 'daily' })
      .expect(201);
    await request(api).post(`/api/tasks/${created.body.id}/complete`).set(auth).expect(200);
    await request(api).delete(`/api/tasks/${created.body.id}`).set(auth).expect(204);
    await deliverOutbox();
    expect(await seriesTasks(created.body.id)).toHaveLength(0);
  });
});
