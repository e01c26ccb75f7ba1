import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEngineTestApp, postEvent, type EngineTestApp } from './support/engine-app.js';
import { completedEnvelope, insertCompletedTask, insertUser } from './support/fixtures.js';

/**
 * task-api deletes an account with its tasks (ON DELETE CASCADE) while completions of those
 * tasks may still be in the outbox or in flight to the engine. Such an event finds no task: it
 * must be acknowledged for good, neither retried nor parked.
 */
describe('completions of a deleted account’s tasks', () => {
  let t: EngineTestApp;
  beforeAll(async () => {
    t = await createEngineTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('are acknowledged as task_deleted, once, with nothing parked and no child', async () => {
    const userId = await insertUser(t.database);
    const parent = await insertCompletedTask(t.database, userId);
    const eventId = randomUUID();
    const envelope = completedEnvelope(parent, { id: eventId });
    await t.database.client`DELETE FROM users WHERE id = ${userId}`;

    expect((await postEvent(t.app, envelope).expect(200)).body).toEqual({ status: 'SUCCESS' });
    const handled = t.logs.filter((line) => line.eventId === eventId && 'outcome' in line);
    expect(handled.map((line) => line.outcome)).toEqual(['task_deleted']);

    const ledger = await t.database.client<
      { processed: number; parked: number; pending: number }[]
    >`
      SELECT
        (SELECT count(*)::int FROM processed_events WHERE event_id = ${eventId}) AS processed,
        (SELECT count(*)::int FROM parked_events WHERE event_id = ${eventId}) AS parked,
        (SELECT count(*)::int FROM delivery_attempts WHERE event_id = ${eventId}) AS pending`;
    expect(ledger[0]).toEqual({ processed: 1, parked: 0, pending: 0 });
    const tasks = await t.database.client`SELECT 1 FROM tasks WHERE user_id = ${userId}`;
    expect(tasks).toHaveLength(0);

    // A redelivery (Dapr, or the relay re-sending) is answered from the ledger.
    expect((await postEvent(t.app, envelope).expect(200)).body).toEqual({ status: 'SUCCESS' });
    const again = t.logs.filter((line) => line.eventId === eventId && 'outcome' in line);
    expect(again.map((line) => line.outcome)).toEqual(['task_deleted', 'duplicate']);
  });
});
