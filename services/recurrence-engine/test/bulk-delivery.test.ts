import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DAPR_BULK_DELIVERY_TYPE,
  EVENT_SOURCES,
  RECURRENCE_ENGINE_EVENTS_ROUTE,
  TASK_EVENT_TYPES,
  toDeliveredCloudEvent,
} from '@todo/contracts';
import request from 'supertest';
import { MAX_BULK_ENTRIES } from '../src/subscription/bulk-request.js';
import {
  createEngineTestApp,
  createEngineWithDatabaseDown,
  postBulk,
  postEvent,
  statusesOf,
  type EngineTestApp,
} from './support/engine-app.js';
import {
  childrenOf,
  completedEnvelope,
  insertCompletedTask,
  insertUser,
  recurringCompletionWithoutTask,
} from './support/fixtures.js';

describe(`POST ${RECURRENCE_ENGINE_EVENTS_ROUTE}, a bulk delivery`, () => {
  let t: EngineTestApp;
  let userId: string;

  beforeAll(async () => {
    t = await createEngineTestApp();
    userId = await insertUser(t.database);
  });
  afterAll(async () => {
    await t.close();
  });

  const ledgerOf = async (eventId: string) =>
    (
      await t.database.client<{ processed: number; parked: string | null; attempts: number }[]>`
        SELECT
          (SELECT count(*)::int FROM processed_events WHERE event_id = ${eventId}) AS processed,
          (SELECT reason FROM parked_events WHERE event_id = ${eventId}) AS parked,
          (SELECT coalesce(max(attempts), 0)::int FROM delivery_attempts
            WHERE event_id = ${eventId}) AS attempts`
    )[0]!;
  const outboxTypes = async (seriesId: string) =>
    (
      await t.database.client<{ type: string }[]>`
        SELECT type FROM outbox WHERE aggregate_id = ${seriesId} ORDER BY created_at`
    ).map((row) => row.type);

  it('answers every entry of a batch holding every kind of event, each as one delivery would be', async () => {
    const plain = await insertCompletedTask(t.database, userId);
    const oneShot = await insertCompletedTask(t.database, userId, {
      recurrenceRule: null,
      recurrenceTimezone: null,
      recurrenceAnchor: null,
      recurrenceOverdue: null,
      recurrenceDtstart: null,
    });
    const lastOfCount = await insertCompletedTask(t.database, userId, {
      recurrenceRule: 'FREQ=WEEKLY;COUNT=2',
      occurrenceIndex: 1,
    });
    const gone = await insertCompletedTask(t.database, userId);
    const goneEvent = completedEnvelope(gone);
    await t.database.client`DELETE FROM tasks WHERE id = ${gone.id}`;
    const reopened = await insertCompletedTask(t.database, userId);
    const reopenedEvent = completedEnvelope(reopened);
    await t.database
      .client`UPDATE tasks SET status = 'pending', completed_at = NULL WHERE id = ${reopened.id}`;
    const handledBefore = await insertCompletedTask(t.database, userId);
    const handledEvent = completedEnvelope(handledBefore);
    expect((await postEvent(t.app, handledEvent).expect(200)).body.status).toBe('SUCCESS');
    const forgedTarget = await insertCompletedTask(t.database, userId);
    const forged = completedEnvelope(forgedTarget, {
      data: { user_id: await insertUser(t.database) },
    });
    const badRule = await insertCompletedTask(t.database, userId);
    const readable = completedEnvelope(badRule);
    const badRuleEvent: Record<string, unknown> = {
      ...readable,
      data: {
        ...(readable.data as object),
        recurrence: {
          rrule: 'FREQ=FORTNIGHTLY',
          timezone: 'UTC',
          anchor: 'due',
          overdue: 'skip',
          dtstart: null,
        },
      },
    };
    const invalidData = completedEnvelope(plain, { id: randomUUID() });
    (invalidData as { data: unknown }).data = { not: 'a task' };
    const created = toDeliveredCloudEvent({
      id: randomUUID(),
      source: EVENT_SOURCES.taskApi,
      type: TASK_EVENT_TYPES.created,
      time: new Date().toISOString(),
      data: { task: { id: plain.id } },
    });
    const unknownType = { ...created, id: randomUUID(), type: 'com.todo.task.archived.v1' };

    const batch = {
      child: completedEnvelope(plain),
      oneShot: completedEnvelope(oneShot),
      ended: completedEnvelope(lastOfCount),
      deleted: goneEvent,
      reopened: reopenedEvent,
      duplicate: handledEvent,
      forged,
      badRule: badRuleEvent,
      invalidData,
      created,
      unknownType,
      noId: { specversion: '1.0', source: 'x', type: TASK_EVENT_TYPES.completed, data: {} },
      notAnObject: 'not a cloud event',
    };
    const names = Object.keys(batch);
    const res = await postBulk(t.app, Object.values(batch)).expect(200);

    expect(Object.keys(res.body)).toEqual(['statuses']);
    const statuses = statusesOf(res.body);
    expect(Object.fromEntries(names.map((name, i) => [name, statuses[String(i)]]))).toEqual({
      child: 'SUCCESS',
      oneShot: 'SUCCESS',
      ended: 'SUCCESS',
      deleted: 'SUCCESS',
      reopened: 'SUCCESS',
      duplicate: 'SUCCESS',
      // Reached after database work: parked, and acknowledged rather than dropped (README).
      forged: 'SUCCESS',
      badRule: 'DROP',
      invalidData: 'DROP',
      created: 'SUCCESS',
      unknownType: 'SUCCESS',
      noId: 'DROP',
      notAnObject: 'DROP',
    });

    expect(await childrenOf(t.database, plain.id)).toHaveLength(1);
    expect(await outboxTypes(plain.id)).toEqual([TASK_EVENT_TYPES.created]);
    expect(await childrenOf(t.database, lastOfCount.id)).toHaveLength(0);
    expect(await outboxTypes(lastOfCount.id)).toEqual([TASK_EVENT_TYPES.seriesEnded]);
    expect(await childrenOf(t.database, forgedTarget.id)).toHaveLength(0);
    expect(await childrenOf(t.database, reopened.id)).toHaveLength(0);
    expect(await ledgerOf(forged.id as string)).toEqual({
      processed: 0,
      parked: 'invalid',
      attempts: 0,
    });
    expect(await ledgerOf(badRuleEvent.id as string)).toEqual({
      processed: 0,
      parked: 'invalid',
      attempts: 0,
    });
    expect(await ledgerOf(invalidData.id as string)).toMatchObject({ parked: 'invalid' });
    expect(await ledgerOf(batch.child.id as string)).toEqual({
      processed: 1,
      parked: null,
      attempts: 0,
    });

    const outcomes = (eventId: unknown) =>
      t.logs.filter((l) => l.eventId === eventId && 'outcome' in l).map((l) => l.outcome);
    expect(outcomes(batch.child.id)).toEqual(['child_created']);
    expect(outcomes(batch.ended.id)).toEqual(['series_ended']);
    expect(outcomes(batch.deleted.id)).toEqual(['task_deleted']);
    expect(outcomes(batch.reopened.id)).toEqual(['task_reopened']);
    expect(outcomes(batch.oneShot.id)).toEqual(['not_recurring']);
    expect(outcomes(handledEvent.id)).toEqual(['child_created', 'duplicate']);
    const summary = t.logs.filter((l) => l.message === 'bulk delivery handled').at(-1);
    expect(summary).toMatchObject({ entries: names.length, whole: true });

    // A redelivery of the parked one is acknowledged without running it.
    expect(statusesOf((await postBulk(t.app, [forged]).expect(200)).body)).toEqual({
      '0': 'SUCCESS',
    });
  });

  it('handles an event twice in one batch once, and answers both copies', async () => {
    const parent = await insertCompletedTask(t.database, userId);
    const event = completedEnvelope(parent);
    const sameCompletion = completedEnvelope(parent);
    const res = await postBulk(t.app, [event, event, sameCompletion, event]).expect(200);
    expect(statusesOf(res.body)).toEqual({
      '0': 'SUCCESS',
      '1': 'SUCCESS',
      '2': 'SUCCESS',
      '3': 'SUCCESS',
    });
    expect(await childrenOf(t.database, parent.id)).toHaveLength(1);
    expect(await outboxTypes(parent.id)).toEqual([TASK_EVENT_TYPES.created]);
    expect(await ledgerOf(event.id as string)).toEqual({ processed: 1, parked: null, attempts: 0 });
    expect(await ledgerOf(sameCompletion.id as string)).toEqual({
      processed: 1,
      parked: null,
      attempts: 0,
    });
  });

  it('keeps event ids that array literals must escape: each recorded as sent, and a redelivery is a duplicate', async () => {
    // The batch's ids travel as one text[] parameter (sql-array.ts).
    const ids = [`a,"b"{c}\\'${randomUUID()}`, 'NULL', `{}${randomUUID()}"`];
    const parents = await Promise.all(ids.map(() => insertCompletedTask(t.database, userId)));
    const events = parents.map((parent, i) => completedEnvelope(parent, { id: ids[i]! }));
    const res = await postBulk(t.app, events).expect(200);
    expect(statusesOf(res.body)).toEqual({ '0': 'SUCCESS', '1': 'SUCCESS', '2': 'SUCCESS' });
    for (const [i, parent] of parents.entries()) {
      expect(await childrenOf(t.database, parent.id)).toHaveLength(1);
      expect(await ledgerOf(ids[i]!)).toEqual({ processed: 1, parked: null, attempts: 0 });
    }
    await postBulk(t.app, events).expect(200);
    for (const parent of parents) expect(await childrenOf(t.database, parent.id)).toHaveLength(1);
    expect(await ledgerOf('NULL')).toEqual({ processed: 1, parked: null, attempts: 0 });
  });

  it('never answers DROP in a request that is not daprd’s whole batch: it parks and acknowledges', async () => {
    const parent = await insertCompletedTask(t.database, userId);
    const invalid = completedEnvelope(parent);
    (invalid as { data: unknown }).data = { not: 'a task' };
    const good = completedEnvelope(parent);
    // A retry of entries 3 and 5 of a batch: daprd would dead-letter entry 3 by its index.
    const res = await postBulk(t.app, [invalid, good, 'unreadable'], ['3', '5', '7']).expect(200);
    expect(res.body.statuses).toEqual([
      { entryId: '3', status: 'SUCCESS' },
      { entryId: '5', status: 'SUCCESS' },
      { entryId: '7', status: 'SUCCESS' },
    ]);
    expect(await ledgerOf(invalid.id as string)).toMatchObject({ parked: 'invalid' });
    expect(await childrenOf(t.database, parent.id)).toHaveLength(1);
  });

  it(`answers the entries past ${MAX_BULK_ENTRIES} RETRY, and every entry it was sent`, async () => {
    const parent = await insertCompletedTask(t.database, userId);
    const events = Array.from({ length: MAX_BULK_ENTRIES + 3 }, (_, i) =>
      i === 0
        ? completedEnvelope(parent)
        : { ...completedEnvelope(parent), type: TASK_EVENT_TYPES.updated },
    );
    const res = await postBulk(t.app, events).expect(200);
    const statuses = statusesOf(res.body);
    expect(Object.keys(statuses)).toHaveLength(events.length);
    expect(statuses['0']).toBe('SUCCESS');
    expect(statuses[String(MAX_BULK_ENTRIES - 1)]).toBe('SUCCESS');
    expect(statuses[String(MAX_BULK_ENTRIES)]).toBe('RETRY');
    expect(statuses[String(MAX_BULK_ENTRIES + 2)]).toBe('RETRY');
    expect(await childrenOf(t.database, parent.id)).toHaveLength(1);
  });

  it('answers an empty batch with no statuses, and requires the app token', async () => {
    expect((await postBulk(t.app, []).expect(200)).body).toEqual({ statuses: [] });
    await request(t.app)
      .post(RECURRENCE_ENGINE_EVENTS_ROUTE)
      .send({ type: DAPR_BULK_DELIVERY_TYPE, entries: [] })
      .expect(401);
  });
});

describe('a bulk delivery while the database is down', () => {
  it('answers RETRY for every recurring completion and still acknowledges the rest', async () => {
    const engine = createEngineWithDatabaseDown();
    try {
      const completion = recurringCompletionWithoutTask();
      const recurring = completion;
      const ignored = { ...completion, id: randomUUID(), type: TASK_EVENT_TYPES.updated };
      const res = await postBulk(engine.app, [recurring, ignored, recurring]).expect(200);
      expect(statusesOf(res.body)).toEqual({ '0': 'RETRY', '1': 'SUCCESS', '2': 'RETRY' });
    } finally {
      await engine.close();
    }
  });
});
