import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEngineTestApp, postEvent, type EngineTestApp } from './support/engine-app.js';
import {
  childrenOf,
  completedEnvelope,
  insertCompletedTask,
  insertUser,
} from './support/fixtures.js';

/** Task A of issue 10: the engine checks "already handled" before doing expensive work. */
describe('a redelivered completion', () => {
  let t: EngineTestApp;
  let userId: string;

  beforeAll(async () => {
    t = await createEngineTestApp();
    userId = await insertUser(t.database);
  });
  afterAll(async () => {
    await t.close();
  });

  const deliver = (body: unknown) => postEvent(t.app, body).expect(200);

  const bookkeeping = async (eventId: string) => {
    const [row] = await t.database.client<{ attempts: number; parked: number }[]>`
      SELECT (SELECT count(*)::int FROM delivery_attempts WHERE event_id = ${eventId}) AS attempts,
             (SELECT count(*)::int FROM parked_events WHERE event_id = ${eventId}) AS parked`;
    return row!;
  };

  it('is answered from processed_events without computing the next occurrence again', async () => {
    const parent = await insertCompletedTask(t.database, userId);
    const envelope = completedEnvelope(parent);
    expect((await deliver(envelope)).body).toEqual({ status: 'SUCCESS' });
    expect(await childrenOf(t.database, parent.id)).toHaveLength(1);

    // The same event id with a rule the recurrence maths cannot read: computing first (as the
    // engine did before) throws on it and drops the event; checking first answers "handled".
    const unreadable = completedEnvelope(parent, {
      id: envelope.id as string,
      data: {
        recurrence: {
          rrule: 'FREQ=FORTNIGHTLY',
          timezone: 'UTC',
          anchor: 'due',
          overdue: 'skip',
          dtstart: null,
        },
      },
    });
    expect((await deliver(unreadable)).body).toEqual({ status: 'SUCCESS' });
    expect(
      t.logs.some(
        (l) =>
          l.eventId === envelope.id &&
          l.outcome === 'duplicate' &&
          l.message === 'task completion handled',
      ),
    ).toBe(true);
    expect(await childrenOf(t.database, parent.id)).toHaveLength(1);
    // Counting the redelivery was skipped too: nothing is left to clean up.
    expect(await bookkeeping(envelope.id as string)).toEqual({ attempts: 0, parked: 0 });
  });

  it('leaves no attempt count behind once handled', async () => {
    const parent = await insertCompletedTask(t.database, userId);
    const envelope = completedEnvelope(parent);
    await deliver(envelope);
    expect(await bookkeeping(envelope.id as string)).toEqual({ attempts: 0, parked: 0 });
    const [processed] = await t.database.client<{ n: number }[]>`
      SELECT count(*)::int AS n FROM processed_events WHERE event_id = ${envelope.id as string}`;
    expect(processed!.n).toBe(1);
  });
});
