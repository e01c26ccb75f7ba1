import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TaskRow } from '@todo/db';
import {
  createEngineTestApp,
  MAX_DELIVERY_ATTEMPTS,
  postBulk,
  postEvent,
  statusesOf,
  type EngineTestApp,
} from './support/engine-app.js';
import { refuseChildrenOf } from './support/faults.js';
import {
  childrenOf,
  completedEnvelope,
  insertCompletedTask,
  insertUser,
} from './support/fixtures.js';

/** How batches meet each other and a faulty row: concurrency, lock order, containment. */
describe('bulk deliveries together', () => {
  let t: EngineTestApp;
  let userId: string;

  beforeAll(async () => {
    t = await createEngineTestApp();
    userId = await insertUser(t.database);
  });
  afterAll(async () => {
    await t.close();
  });

  const parents = (n: number, title = 'Weekly review') =>
    Promise.all(
      Array.from({ length: n }, () => insertCompletedTask(t.database, userId, { title })),
    );
  const childCounts = async (tasks: TaskRow[]) =>
    Promise.all(tasks.map(async (task) => (await childrenOf(t.database, task.id)).length));
  const batchFailures = () =>
    t.logs.filter((l) => l.message === 'a batch failed: handling its entries one at a time');

  it('creates exactly one child when the same events arrive in two batches at once', async () => {
    const tasks = await parents(20);
    const events = tasks.map((task) => completedEnvelope(task));
    const [a, b] = await Promise.all([postBulk(t.app, events), postBulk(t.app, events)]);
    expect(Object.values(statusesOf(a.body))).toEqual(events.map(() => 'SUCCESS'));
    expect(Object.values(statusesOf(b.body))).toEqual(events.map(() => 'SUCCESS'));
    expect(await childCounts(tasks)).toEqual(tasks.map(() => 1));
    const processed = await t.database.client<{ n: number }[]>`
      SELECT count(*)::int AS n FROM processed_events
      WHERE event_id = ANY(${events.map((e) => e.id as string)})`;
    expect(processed[0]!.n).toBe(events.length);
  });

  it('never deadlocks: batches with the same parents in opposite orders all succeed', async () => {
    const failuresBefore = batchFailures().length;
    for (let round = 0; round < 5; round += 1) {
      const tasks = await parents(30);
      // The same completions under other event ids too: every batch reaches every parent row.
      const forward = tasks.map((task) => completedEnvelope(task));
      const backward = [...tasks].reverse().map((task) => completedEnvelope(task));
      const answers = await Promise.all([
        postBulk(t.app, forward),
        postBulk(t.app, backward),
        postBulk(t.app, [...forward.slice(15), ...backward.slice(15)]),
      ]);
      for (const answer of answers)
        expect(new Set(Object.values(statusesOf(answer.body)))).toEqual(new Set(['SUCCESS']));
      expect(await childCounts(tasks)).toEqual(tasks.map(() => 1));
    }
    // A deadlock would have failed a batch (and been contained): none did.
    expect(batchFailures().length).toBe(failuresBefore);
  });

  it('contains a row the database refuses: the rest of its batch commits, only that event is retried, counted and parked', async () => {
    const fault = await refuseChildrenOf(t.database, 'Poison pill');
    try {
      const [poison] = await parents(1, 'Poison pill');
      const good = await parents(4);
      const poisonEvent = completedEnvelope(poison!);
      const batch = [...good.slice(0, 2), poison!, ...good.slice(2)].map((task) =>
        task === poison ? poisonEvent : completedEnvelope(task),
      );
      const first = statusesOf((await postBulk(t.app, batch).expect(200)).body);
      expect(first).toEqual({
        '0': 'SUCCESS',
        '1': 'SUCCESS',
        '2': 'RETRY',
        '3': 'SUCCESS',
        '4': 'SUCCESS',
      });
      expect(await childCounts(good)).toEqual([1, 1, 1, 1]);
      const attempts = async () =>
        (
          await t.database.client<{ attempts: number; last_error: string | null }[]>`
            SELECT attempts, last_error FROM delivery_attempts WHERE event_id = ${poisonEvent.id as string}`
        )[0];
      expect(await attempts()).toEqual({ attempts: 1, last_error: fault.message });

      // daprd re-sends the failed entry alone, under its id, until the engine parks it.
      for (let attempt = 2; attempt <= MAX_DELIVERY_ATTEMPTS; attempt += 1) {
        const again = statusesOf((await postBulk(t.app, [poisonEvent], ['2']).expect(200)).body);
        expect(again).toEqual({ '2': attempt < MAX_DELIVERY_ATTEMPTS ? 'RETRY' : 'SUCCESS' });
      }
      const parked = await t.database.client<{ reason: string; attempts: number }[]>`
        SELECT reason, attempts FROM parked_events WHERE event_id = ${poisonEvent.id as string}`;
      expect(parked).toEqual([{ reason: 'attempts_exhausted', attempts: MAX_DELIVERY_ATTEMPTS }]);
      expect(await childrenOf(t.database, poison!.id)).toHaveLength(0);
    } finally {
      await fault.remove();
    }
  });
});

describe('a bulk delivery and single deliveries of the same events', () => {
  it('write the same children, outbox rows and change-log rows', async () => {
    const single = await createEngineTestApp();
    const bulk = await createEngineTestApp();
    try {
      const scenario = async (t: EngineTestApp) => {
        const user = await insertUser(t.database);
        const tasks = [
          await insertCompletedTask(t.database, user, { title: 'a weekly' }),
          await insertCompletedTask(t.database, user, {
            title: 'b last of two',
            recurrenceRule: 'FREQ=WEEKLY;COUNT=2',
            occurrenceIndex: 1,
          }),
          await insertCompletedTask(t.database, user, {
            title: 'c monthly',
            recurrenceRule: 'FREQ=MONTHLY;BYMONTHDAY=-1',
            recurrenceTimezone: 'America/New_York',
          }),
          await insertCompletedTask(t.database, await insertUser(t.database), {
            title: 'd other user',
          }),
          // Text that array literals and JSON both escape: the children's rows travel as JSON.
          await insertCompletedTask(t.database, user, {
            title: 'e "quoted", {braced} \\ é 😀',
            description: null,
            tags: ['a,b', '"q"', '{x}', 'back\\slash', 'NULL', 'é 😀'],
            priority: 'low',
          }),
        ];
        return tasks.map((task) => completedEnvelope(task));
      };
      const singleEvents = await scenario(single);
      for (const event of singleEvents)
        expect((await postEvent(single.app, event)).body.status).toBe('SUCCESS');
      const bulkEvents = await scenario(bulk);
      expect(
        new Set(Object.values(statusesOf((await postBulk(bulk.app, bulkEvents)).body))),
      ).toEqual(new Set(['SUCCESS']));

      /** The snapshot fields that differ between two databases (the rest must be equal). */
      const IDS_AND_TIMES = [
        'id',
        'user_id',
        'parent_task_id',
        'series_id',
        'created_at',
        'updated_at',
      ];
      /** What the engine wrote, with ids and times replaced by the parent's title. */
      const written = async (t: EngineTestApp) => {
        const database = t.database;
        const children = await database.client<Record<string, unknown>[]>`
          SELECT p.title AS parent, c.title, c.description, c.priority, c.tags, c.status, c.due_at,
                 c.recurrence_rule, c.recurrence_timezone, c.recurrence_anchor, c.recurrence_overdue,
                 c.recurrence_dtstart, c.occurrence_index, c.series_id = p.series_id OR c.series_id = p.id AS same_series,
                 c.user_id = p.user_id AS same_user
          FROM tasks c JOIN tasks p ON p.id = c.parent_task_id ORDER BY p.title`;
        const outbox = await database.client<Record<string, unknown>[]>`
          SELECT p.title AS parent, o.type, o.producer, o.payload->'task'->>'title' AS task_title,
                 o.payload->>'reason' AS reason, o.traceparent IS NOT NULL AS traced,
                 (o.payload->'task') - ${IDS_AND_TIMES}::text[] AS task
          FROM outbox o JOIN tasks p ON p.id::text = o.aggregate_id::text ORDER BY p.title, o.type`;
        const changes = await database.client<Record<string, unknown>[]>`
          SELECT p.title AS parent, ch.type, ch.user_id = p.user_id AS same_user,
                 ch.event_id IN (SELECT event_id FROM outbox) AS same_event_id,
                 ch.payload->'task'->>'title' AS task_title, ch.payload->>'reason' AS reason,
                 (ch.payload->'task') - ${IDS_AND_TIMES}::text[] AS task
          FROM task_changes ch JOIN outbox o ON o.event_id = ch.event_id
          JOIN tasks p ON p.id::text = o.aggregate_id::text ORDER BY p.title, ch.type`;
        const processed = await database.client<
          { n: number }[]
        >`SELECT count(*)::int AS n FROM processed_events`;
        return { children, outbox, changes, processed: processed[0]!.n };
      };
      const fromSingle = await written(single);
      expect(fromSingle.children).toHaveLength(4);
      expect(fromSingle.changes).toHaveLength(5);
      expect(fromSingle.children.at(-1)).toMatchObject({
        description: null,
        tags: ['a,b', '"q"', '{x}', 'back\\slash', 'NULL', 'é 😀'],
      });
      expect(await written(bulk)).toEqual(fromSingle);
    } finally {
      await single.close();
      await bulk.close();
    }
  });
});
