import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DatabaseConnection } from '@todo/db';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import request from 'supertest';
import { createEngineDelivery } from '../src/engine-delivery.js';
import { redriveParked } from '../src/parking/redrive.js';
import {
  APP_TOKEN,
  captureLogs,
  createEngineTestApp,
  postEvent,
  type EngineTestApp,
} from './support/engine-app.js';
import { connectAsEngineRole, refuseChildrenOf } from './support/faults.js';
import {
  childrenOf,
  completedEnvelope,
  insertCompletedTask,
  insertUser,
} from './support/fixtures.js';

const MAX_ATTEMPTS = 3;

/**
 * Issue 10: an event that keeps failing is parked after a bounded number of attempts, where an
 * operator sees it and can re-drive it, and the events behind it keep flowing. The engine runs
 * as its deployed database role, so the privileges it needs for this are tested too.
 */
describe('parking events that keep failing', () => {
  let admin: TestDatabase;
  let asEngine: DatabaseConnection;
  let t: EngineTestApp;
  let userId: string;

  beforeAll(async () => {
    admin = await createTestDatabase();
    asEngine = await connectAsEngineRole(admin, { statementTimeoutMs: 500 });
    t = await createEngineTestApp({
      database: admin,
      db: asEngine.db,
      maxDeliveryAttempts: MAX_ATTEMPTS,
    });
    userId = await insertUser(admin);
  });
  afterAll(async () => {
    await asEngine.close();
    await admin.drop();
  });

  const deliver = (body: unknown) =>
    postEvent(t.app, body)
      .expect(200)
      .then((res) => res.body.status as string);

  const parkedRow = async (eventId: string) =>
    (
      await admin.client<
        { reason: string; attempts: number; last_error: string; type: string; envelope: string }[]
      >`SELECT reason, attempts, last_error, type, envelope FROM parked_events
        WHERE consumer = 'recurrence-engine' AND event_id = ${eventId}`
    )[0];
  const attemptRows = async (eventId: string) =>
    (
      await admin.client<{ n: number }[]>`
        SELECT count(*)::int AS n FROM delivery_attempts WHERE event_id = ${eventId}`
    )[0]!.n;
  const parkedList = () =>
    request(t.app).get('/parked').set('dapr-api-token', APP_TOKEN).expect(200);

  const redrive = (eventIds: string[]) => {
    const { deliver: deliverAgain, ledger } = createEngineDelivery(asEngine.db, MAX_ATTEMPTS);
    return redriveParked(
      { deliver: deliverAgain, ledger, logger: captureLogs().logger },
      { eventIds },
    );
  };

  it('parks an event whose handling always fails after N attempts, and the next events flow', async () => {
    const fault = await refuseChildrenOf(admin, 'Poison');
    try {
      const poison = await insertCompletedTask(admin, userId, { title: 'Poison' });
      const envelope = completedEnvelope(poison);
      const id = envelope.id as string;

      const answers: string[] = [];
      for (let i = 1; i < MAX_ATTEMPTS; i++) answers.push(await deliver(envelope));
      expect(answers).toEqual(Array(MAX_ATTEMPTS - 1).fill('RETRY'));
      expect(await parkedRow(id)).toBeUndefined();

      // The last allowed attempt fails too: the event is parked and acknowledged.
      expect(await deliver(envelope)).toBe('SUCCESS');
      expect(await parkedRow(id)).toMatchObject({
        reason: 'attempts_exhausted',
        attempts: MAX_ATTEMPTS,
        type: 'com.todo.task.completed.v1',
      });
      expect((await parkedRow(id))!.last_error).toContain(fault.message);
      expect(JSON.parse((await parkedRow(id))!.envelope)).toEqual(envelope);
      expect(await attemptRows(id)).toBe(0);
      const parkedLog = t.logs.find(
        (l) => l.eventId === id && l.message === 'event parked after too many delivery attempts',
      );
      expect(parkedLog).toMatchObject({ level: 'error', attempts: MAX_ATTEMPTS });

      // Redeliveries of a parked event are acknowledged without running it again.
      expect(await deliver(envelope)).toBe('SUCCESS');
      expect(await parkedRow(id)).toMatchObject({ attempts: MAX_ATTEMPTS });
      expect(await attemptRows(id)).toBe(0);

      // The events behind it flow.
      const next = await insertCompletedTask(admin, userId, { title: 'Next' });
      expect(await deliver(completedEnvelope(next))).toBe('SUCCESS');
      expect(await childrenOf(admin, next.id)).toHaveLength(1);
      expect(await childrenOf(admin, poison.id)).toHaveLength(0);

      const listed = await parkedList();
      expect(listed.body.count).toBeGreaterThanOrEqual(1);
      expect(listed.body.latest).toContainEqual(
        expect.objectContaining({
          event_id: id,
          reason: 'attempts_exhausted',
          attempts: MAX_ATTEMPTS,
          last_error: expect.stringContaining(fault.message),
        }),
      );
    } finally {
      await fault.remove();
    }
  });

  it('counts deliveries that never finished (timed out, or the process died) toward the limit', async () => {
    const task = await insertCompletedTask(admin, userId, { title: 'Stuck' });
    const envelope = completedEnvelope(task);
    const id = envelope.id as string;
    // Earlier deliveries that counted themselves and then never answered, as after a crash.
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await admin.client`
        INSERT INTO delivery_attempts (consumer, event_id) VALUES ('recurrence-engine', ${id})
        ON CONFLICT (consumer, event_id) DO UPDATE SET attempts = delivery_attempts.attempts + 1`;
    }
    expect(await deliver(envelope)).toBe('SUCCESS');
    expect(await parkedRow(id)).toMatchObject({
      reason: 'attempts_exhausted',
      attempts: MAX_ATTEMPTS,
    });
    expect((await parkedRow(id))!.last_error).toMatch(/^no answer/);
    // Parked without running: the task, though fine, has no next occurrence until re-driven.
    expect(await childrenOf(admin, task.id)).toHaveLength(0);
  });

  it('bounds a delivery stuck behind a lock: the statement timeout fails it, and it is parked', async () => {
    const task = await insertCompletedTask(admin, userId, { title: 'Locked' });
    const envelope = completedEnvelope(task);
    const id = envelope.id as string;
    const holder = await admin.client.reserve();
    try {
      await holder`BEGIN`;
      await holder`SELECT id FROM tasks WHERE id = ${task.id} FOR UPDATE`;
      const answers: string[] = [];
      for (let i = 0; i < MAX_ATTEMPTS; i++) answers.push(await deliver(envelope));
      expect(answers).toEqual([...Array(MAX_ATTEMPTS - 1).fill('RETRY'), 'SUCCESS']);
      expect(await parkedRow(id)).toMatchObject({ reason: 'attempts_exhausted' });
      expect((await parkedRow(id))!.last_error).toMatch(/statement timeout/);
    } finally {
      await holder`ROLLBACK`;
      holder.release();
    }
  });

  it('parks a completion that can never be processed as invalid, and drops it', async () => {
    const victim = await insertCompletedTask(admin, userId);
    const forged = completedEnvelope(victim, { data: { user_id: randomUUID() } });
    expect(await deliver(forged)).toBe('DROP');
    expect(await parkedRow(forged.id as string)).toMatchObject({
      reason: 'invalid',
      attempts: 1,
      last_error: 'the event names a user who does not own the task',
    });
    const malformed = { ...completedEnvelope(victim), id: randomUUID(), data: { not: 'a task' } };
    expect(await deliver(malformed)).toBe('DROP');
    expect(await parkedRow(malformed.id)).toMatchObject({
      reason: 'invalid',
      last_error: expect.stringContaining('data.'),
    });
    expect(await attemptRows(forged.id as string)).toBe(0);
  });

  it('re-drives a parked event after the fault is fixed: its child is created exactly once', async () => {
    const fault = await refuseChildrenOf(admin, 'Fixed later');
    const task = await insertCompletedTask(admin, userId, { title: 'Fixed later' });
    const envelope = completedEnvelope(task);
    const id = envelope.id as string;
    for (let i = 0; i < MAX_ATTEMPTS; i++) await deliver(envelope);
    expect(await parkedRow(id)).toBeDefined();

    // Re-driven while the fault is still there: it stays parked, with the attempt counted.
    const early = await redrive([id]);
    expect(early.stillParked).toEqual([
      { eventId: id, error: expect.stringContaining(fault.message) },
    ]);
    expect(await parkedRow(id)).toMatchObject({ attempts: MAX_ATTEMPTS + 1 });

    await fault.remove();
    const before = (await parkedList()).body.count as number;
    const [first, second] = await Promise.all([redrive([id]), redrive([id])]);
    const handled = [...first.handled, ...second.handled];
    expect(handled.length).toBeGreaterThanOrEqual(1);
    expect(handled.map((h) => h.outcome).sort()).toEqual(
      handled.length === 1 ? ['child_created'] : ['child_created', 'duplicate'],
    );
    expect(await childrenOf(admin, task.id)).toHaveLength(1);
    expect(await parkedRow(id)).toBeUndefined();
    expect((await parkedList()).body.count).toBe(before - 1);

    // Gone from the park: asking again says so, and a late redelivery is a duplicate.
    expect((await redrive([id])).notParked).toEqual([id]);
    expect(await deliver(envelope)).toBe('SUCCESS');
    expect(await childrenOf(admin, task.id)).toHaveLength(1);
  });

  it('keeps an invalid event parked when re-driven, with the attempt counted', async () => {
    const victim = await insertCompletedTask(admin, userId);
    const forged = completedEnvelope(victim, { data: { user_id: randomUUID() } });
    await deliver(forged);
    const report = await redrive([forged.id as string]);
    expect(report.stillParked).toEqual([
      { eventId: forged.id, error: 'the event names a user who does not own the task' },
    ]);
    expect(await parkedRow(forged.id as string)).toMatchObject({ reason: 'invalid', attempts: 2 });
    expect(await childrenOf(admin, victim.id)).toHaveLength(0);
  });

  it('shows the parked count only to callers with the app token', async () => {
    await request(t.app).get('/parked').expect(401);
    const [row] = await admin.client<{ n: number }[]>`
      SELECT count(*)::int AS n FROM parked_events`;
    expect((await parkedList()).body.count).toBe(row!.n);
    expect(row!.n).toBeGreaterThan(0);
  });

  it('puts the parked count in the readiness answer, for probes and dashboards', async () => {
    const [row] = await admin.client<{ n: number }[]>`
      SELECT count(*)::int AS n FROM parked_events`;
    const ready = await request(t.app).get('/readyz').expect(200);
    expect(ready.body).toEqual({ status: 'ready', parked_events: row!.n });
    expect(row!.n).toBeGreaterThan(0);
  });
});
