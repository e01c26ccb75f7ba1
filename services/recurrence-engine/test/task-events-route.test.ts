import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  EVENT_SOURCES,
  RECURRENCE_ENGINE_EVENTS_ROUTE,
  TASK_EVENT_TYPES,
  taskEventSchema,
  toDeliveredCloudEvent,
} from '@todo/contracts';
import { tasks } from '@todo/db';
import { eq } from 'drizzle-orm';
import request from 'supertest';
import {
  APP_TOKEN,
  createEngineTestApp,
  createEngineWithDatabaseDown,
  postEvent,
  type EngineTestApp,
} from './support/engine-app.js';
import {
  childrenOf,
  completedEnvelope,
  insertCompletedTask,
  insertUser,
  recurringCompletionWithoutTask,
} from './support/fixtures.js';

describe(`POST ${RECURRENCE_ENGINE_EVENTS_ROUTE}`, () => {
  let t: EngineTestApp;
  let userId: string;

  beforeAll(async () => {
    t = await createEngineTestApp();
    userId = await insertUser(t.database);
  });
  afterAll(async () => {
    await t.close();
  });

  const deliver = (body: unknown) => postEvent(t.app, body);

  const outboxFor = (seriesId: string) =>
    t.database.client<
      { type: string; payload: Record<string, unknown>; traceparent: string | null }[]
    >`
      SELECT type, payload, traceparent FROM outbox WHERE aggregate_id = ${seriesId} ORDER BY created_at`;

  it('creates the next occurrence with the parent’s fields and records its event', async () => {
    const parent = await insertCompletedTask(t.database, userId);
    const res = await deliver(completedEnvelope(parent)).expect(200);
    expect(res.body).toEqual({ status: 'SUCCESS' });

    const [child, ...others] = await childrenOf(t.database, parent.id);
    expect(others).toHaveLength(0);
    expect(child).toMatchObject({
      userId,
      title: 'Weekly review',
      description: 'Inbox zero',
      priority: 'high',
      tags: ['work', 'planning'],
      status: 'pending',
      completedAt: null,
      dueAt: new Date('2026-03-09T09:00:00Z'),
      recurrenceRule: 'FREQ=WEEKLY',
      recurrenceTimezone: 'Europe/Paris',
      recurrenceAnchor: 'due',
      recurrenceOverdue: 'skip',
      recurrenceDtstart: parent.dueAt,
      parentTaskId: parent.id,
      seriesId: parent.id,
      occurrenceIndex: 1,
    });

    const events = await outboxFor(parent.id);
    expect(events.map((e) => e.type)).toEqual([TASK_EVENT_TYPES.created]);
    const event = taskEventSchema.parse({ type: events[0]!.type, data: events[0]!.payload });
    expect(event.type === TASK_EVENT_TYPES.created && event.data.task).toMatchObject({
      id: child!.id,
      parent_task_id: parent.id,
      occurrence_index: 1,
    });
    expect(events[0]!.traceparent).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
  });

  it('answers SUCCESS to a redelivery and changes nothing', async () => {
    const parent = await insertCompletedTask(t.database, userId);
    const envelope = completedEnvelope(parent);
    await deliver(envelope).expect(200);
    const before = await t.database.client`SELECT count(*)::int AS n FROM tasks`;
    const again = await deliver(envelope).expect(200);
    expect(again.body).toEqual({ status: 'SUCCESS' });
    const after = await t.database.client`SELECT count(*)::int AS n FROM tasks`;
    expect(after[0]!.n).toBe(before[0]!.n);
    expect(await childrenOf(t.database, parent.id)).toHaveLength(1);
    expect(await outboxFor(parent.id)).toHaveLength(1);
    expect(t.logs.some((l) => l.eventId === envelope.id && l.outcome === 'duplicate')).toBe(true);
  });

  it('creates one child when the same completion arrives under two event ids at once', async () => {
    const parent = await insertCompletedTask(t.database, userId);
    const results = await Promise.all([
      deliver(completedEnvelope(parent)),
      deliver(completedEnvelope(parent)),
      deliver(completedEnvelope(parent)),
    ]);
    expect(results.map((r) => r.body.status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(await childrenOf(t.database, parent.id)).toHaveLength(1);
  });

  it('ends the series at COUNT with an event instead of a child', async () => {
    const parent = await insertCompletedTask(t.database, userId, {
      recurrenceRule: 'FREQ=WEEKLY;COUNT=2',
      occurrenceIndex: 1,
    });
    expect((await deliver(completedEnvelope(parent)).expect(200)).body.status).toBe('SUCCESS');
    expect(await childrenOf(t.database, parent.id)).toHaveLength(0);
    const events = await outboxFor(parent.id);
    expect(events.map((e) => e.type)).toEqual([TASK_EVENT_TYPES.seriesEnded]);
    expect(events[0]!.payload).toMatchObject({
      reason: 'count',
      last_task_id: parent.id,
      ended_at: parent.completedAt!.toISOString(),
    });
  });

  it('skips missed occurrences when an overdue task is completed', async () => {
    const parent = await insertCompletedTask(t.database, userId, {
      completedAt: new Date('2026-03-20T12:00:00Z'),
    });
    await deliver(completedEnvelope(parent)).expect(200);
    expect((await childrenOf(t.database, parent.id))[0]!.dueAt).toEqual(
      new Date('2026-03-23T09:00:00Z'),
    );
  });

  it.each([
    [
      'a deleted task',
      async (id: string) => {
        await t.database.db.delete(tasks).where(eq(tasks.id, id));
      },
    ],
    [
      'a reopened task',
      async (id: string) => {
        await t.database.db
          .update(tasks)
          .set({ status: 'pending', completedAt: null })
          .where(eq(tasks.id, id));
      },
    ],
    [
      'a task whose repeat was removed',
      async (id: string) => {
        await t.database.db
          .update(tasks)
          .set({
            recurrenceRule: null,
            recurrenceTimezone: null,
            recurrenceAnchor: null,
            recurrenceOverdue: null,
          })
          .where(eq(tasks.id, id));
      },
    ],
    [
      'a task completed again since',
      async (id: string) => {
        await t.database.db
          .update(tasks)
          .set({ completedAt: new Date('2026-03-05T08:00:00Z') })
          .where(eq(tasks.id, id));
      },
    ],
  ])('answers SUCCESS without a child for %s', async (_name, change) => {
    const parent = await insertCompletedTask(t.database, userId);
    const envelope = completedEnvelope(parent);
    await change(parent.id);
    expect((await deliver(envelope).expect(200)).body).toEqual({ status: 'SUCCESS' });
    expect(await childrenOf(t.database, parent.id)).toHaveLength(0);
  });

  it('answers SUCCESS for events it has nothing to do with, including types it does not know', async () => {
    const parent = await insertCompletedTask(t.database, userId, {
      recurrenceRule: null,
      recurrenceTimezone: null,
      recurrenceAnchor: null,
      recurrenceOverdue: null,
      recurrenceDtstart: null,
    });
    expect((await deliver(completedEnvelope(parent)).expect(200)).body.status).toBe('SUCCESS');
    const deleted = toDeliveredCloudEvent({
      id: randomUUID(),
      source: EVENT_SOURCES.taskApi,
      type: TASK_EVENT_TYPES.deleted,
      time: new Date().toISOString(),
      data: {
        task_id: parent.id,
        user_id: userId,
        series_id: parent.id,
        deleted_at: new Date().toISOString(),
      },
    });
    expect((await deliver(deleted).expect(200)).body.status).toBe('SUCCESS');
    const future = { ...deleted, id: randomUUID(), type: 'com.todo.task.archived.v1' };
    expect((await deliver(future).expect(200)).body.status).toBe('SUCCESS');
    expect(await childrenOf(t.database, parent.id)).toHaveLength(0);
  });

  it.each([
    [
      'a completed event with missing fields',
      (e: Record<string, unknown>) => ({
        ...e,
        data: { task_id: (e.data as { task_id: string }).task_id },
      }),
    ],
    ['an envelope without an id', (e: Record<string, unknown>) => ({ ...e, id: undefined })],
    [
      'a rule that cannot be parsed',
      (e: Record<string, unknown>) => ({
        ...e,
        data: {
          ...(e.data as object),
          recurrence: {
            rrule: 'FREQ=FORTNIGHTLY',
            timezone: 'UTC',
            anchor: 'due',
            overdue: 'skip',
            dtstart: null,
          },
        },
      }),
    ],
    ['a non-JSON body', () => '{"specversion": "1.0", "id": '],
  ])('answers DROP for %s, logs why, and writes nothing', async (_name, mutate) => {
    const parent = await insertCompletedTask(t.database, userId);
    const body = mutate(completedEnvelope(parent) as Record<string, unknown>);
    const res = await request(t.app)
      .post(RECURRENCE_ENGINE_EVENTS_ROUTE)
      .set('dapr-api-token', APP_TOKEN)
      .set('content-type', 'application/cloudevents+json')
      .send(typeof body === 'string' ? body : JSON.stringify(body))
      .expect(200);
    expect(res.body).toEqual({ status: 'DROP' });
    expect(await childrenOf(t.database, parent.id)).toHaveLength(0);
    expect(
      t.logs.some((l) => typeof l.message === 'string' && l.message.startsWith('dropping')),
    ).toBe(true);
  });

  it('drops a forged completion that names another user as the owner, creating nothing', async () => {
    const victim = await insertCompletedTask(t.database, userId);
    const intruder = await insertUser(t.database);
    const forged = completedEnvelope(victim, { data: { user_id: intruder } });
    expect((await deliver(forged).expect(200)).body).toEqual({ status: 'DROP' });
    expect(await childrenOf(t.database, victim.id)).toHaveLength(0);
    // Nothing was recorded, so the genuine event is still processed.
    expect((await deliver(completedEnvelope(victim)).expect(200)).body).toEqual({
      status: 'SUCCESS',
    });
    expect((await childrenOf(t.database, victim.id))[0]!.userId).toBe(userId);
  });

  it('refuses callers without the Dapr app token: 401 when missing, 403 when wrong', async () => {
    const parent = await insertCompletedTask(t.database, userId);
    const envelope = completedEnvelope(parent);
    await request(t.app).post(RECURRENCE_ENGINE_EVENTS_ROUTE).send(envelope).expect(401);
    await request(t.app)
      .post(RECURRENCE_ENGINE_EVENTS_ROUTE)
      .set('dapr-api-token', 'forged-token-forged-token')
      .send(envelope)
      .expect(403);
    expect(await childrenOf(t.database, parent.id)).toHaveLength(0);
  });

  it('answers Dapr’s subscription query with no programmatic subscriptions', async () => {
    const res = await request(t.app)
      .get('/dapr/subscribe')
      .set('dapr-api-token', APP_TOKEN)
      .expect(200);
    expect(res.body).toEqual([]);
  });
});

describe('with the database down', () => {
  it('answers RETRY, so Dapr redelivers later', async () => {
    const engine = createEngineWithDatabaseDown();
    try {
      const envelope = recurringCompletionWithoutTask();
      const res = await request(engine.app)
        .post(RECURRENCE_ENGINE_EVENTS_ROUTE)
        .set('dapr-api-token', APP_TOKEN)
        .send(envelope)
        .expect(200);
      expect(res.body).toEqual({ status: 'RETRY' });
      expect(engine.logs.some((l) => l.level === 'error' && typeof l.error_id === 'string')).toBe(
        true,
      );
      expect((await request(engine.app).get('/livez')).status).toBe(200);
    } finally {
      await engine.close();
    }
  });
});
