import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { APP_IDS, EVENT_SOURCES, TASK_EVENT_TYPES } from '@todo/contracts';
import {
  createDatabase,
  recordTaskEvents,
  toCompletedData,
  type DatabaseConnection,
  type TaskRow,
} from '@todo/db';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { createDirectTransport, createOutboxRelay, type OutboxRelay } from '@todo/outbox-relay';
import { eventually } from '@todo/service-runtime/testing';
import { createEngineDelivery } from '../src/engine-delivery.js';
import { redriveParked } from '../src/parking/redrive.js';
import {
  APP_TOKEN,
  captureLogs,
  createEngineTestApp,
  type EngineTestApp,
} from './support/engine-app.js';
import { refuseChildrenOf } from './support/faults.js';
import { childrenOf, insertCompletedTask, insertUser } from './support/fixtures.js';

const MAX_ATTEMPTS = 3;
const RELAY_TIMEOUT_MS = 400;
const ENGINE_STATEMENT_TIMEOUT_MS = 1500;

/** How long the waits below give the relay and the engine, polling every 100 ms. */
const within = (what: string) => ({ what, timeoutMs: 20_000, intervalMs: 100 });

/**
 * Without a sidecar the outbox relay POSTs events straight to the engine and re-sends any it does
 * not acknowledge. These run the real relay against the real engine over HTTP: an event the
 * engine keeps refusing, or that keeps timing out, must stop being re-sent (the engine parks it
 * and acknowledges it), and the events behind it must still become children.
 */
describe('outbox relay (direct transport) → engine, with events that keep failing', () => {
  let admin: TestDatabase;
  let engineDb: DatabaseConnection;
  let t: EngineTestApp;
  let server: Server;
  let relay: OutboxRelay;
  let userId: string;

  beforeAll(async () => {
    admin = await createTestDatabase();
    engineDb = createDatabase(admin.url, {
      max: 5,
      statementTimeoutMs: ENGINE_STATEMENT_TIMEOUT_MS,
    });
    t = await createEngineTestApp({
      database: admin,
      db: engineDb.db,
      maxDeliveryAttempts: MAX_ATTEMPTS,
    });
    server = createServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    relay = createOutboxRelay({
      db: admin.db,
      listenClient: admin.client,
      producer: APP_IDS.taskApi,
      transport: createDirectTransport({
        engineUrl: `http://127.0.0.1:${port}`,
        source: EVENT_SOURCES.taskApi,
        appToken: APP_TOKEN,
        timeoutMs: RELAY_TIMEOUT_MS,
      }),
      logger: captureLogs().logger,
      pollIntervalMs: 100,
      maxRetryDelayMs: 300,
    });
    userId = await insertUser(admin);
    await relay.start();
  });
  afterAll(async () => {
    await relay.stop();
    await new Promise((resolve) => server.close(resolve));
    await engineDb.close();
    await admin.drop();
  });

  /** A completed recurring task and its completion event in the outbox, as task-api leaves them. */
  async function complete(
    title: string,
    beforeTheEvent: (task: TaskRow) => Promise<unknown> = async () => undefined,
  ): Promise<{ task: TaskRow; eventId: string }> {
    const task = await insertCompletedTask(admin, userId, { title });
    await beforeTheEvent(task);
    const [eventId] = await recordTaskEvents(admin.db, { producer: APP_IDS.taskApi }, task, [
      { type: TASK_EVENT_TYPES.completed, data: toCompletedData(task) },
    ]);
    return { task, eventId: eventId! };
  }

  const outboxRow = async (eventId: string) =>
    (
      await admin.client<{ published: boolean; attempts: number }[]>`
        SELECT published_at IS NOT NULL AS published, attempts FROM outbox
        WHERE event_id = ${eventId}`
    )[0]!;
  const parked = async (eventId: string) =>
    (
      await admin.client<{ reason: string; attempts: number; last_error: string }[]>`
        SELECT reason, attempts, last_error FROM parked_events WHERE event_id = ${eventId}`
    )[0];
  const childCounts = (tasks: TaskRow[]) =>
    Promise.all(tasks.map(async (task) => (await childrenOf(admin, task.id)).length));

  it('parks an event the engine keeps refusing, stops re-sending it, and the rest flow', async () => {
    const fault = await refuseChildrenOf(admin, 'Refused');
    try {
      const refused = await complete('Refused');
      const behind = await Promise.all(
        ['Behind 1', 'Behind 2', 'Behind 3'].map((title) => complete(title)),
      );

      await eventually(
        async () => (await childCounts(behind.map((b) => b.task))).every((n) => n === 1),
        within('the children of the events behind'),
      );
      const row = await eventually(async () => {
        const r = await outboxRow(refused.eventId);
        return r.published && r;
      }, within('the refused event to be acknowledged'));
      // Refused twice (RETRY), parked and acknowledged at the third delivery.
      expect(row.attempts).toBe(MAX_ATTEMPTS);
      expect(await parked(refused.eventId)).toMatchObject({
        reason: 'attempts_exhausted',
        attempts: MAX_ATTEMPTS,
        last_error: fault.message,
      });
      expect(await childrenOf(admin, refused.task.id)).toHaveLength(0);
      // Acknowledged means the relay is done with it: no further deliveries arrive.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect((await outboxRow(refused.eventId)).attempts).toBe(MAX_ATTEMPTS);
    } finally {
      await fault.remove();
    }
  }, 30_000);

  it('parks an event whose deliveries keep timing out, and re-drives it once the cause is gone', async () => {
    // A transaction that holds the task's row lock: every delivery waits on it longer than the
    // relay waits for an answer. Taken before the event reaches the outbox: the relay is woken by
    // the insert, and a first delivery that got to the task before the lock would handle it.
    const holder = await admin.client.reserve();
    await holder`BEGIN`;
    let slow: Awaited<ReturnType<typeof complete>>;
    try {
      slow = await complete(
        'Slow',
        (task) => holder`SELECT id FROM tasks WHERE id = ${task.id} FOR UPDATE`,
      );
      const behind = await complete('Behind the slow one');

      const row = await eventually(async () => {
        const r = await outboxRow(slow.eventId);
        return r.published && r;
      }, within('the slow event to be acknowledged'));
      expect(row.attempts).toBeGreaterThanOrEqual(MAX_ATTEMPTS);
      expect(await parked(slow.eventId)).toMatchObject({ reason: 'attempts_exhausted' });
      await eventually(
        async () => (await childCounts([behind.task]))[0] === 1,
        within('the child of the event behind'),
      );
      // Let the deliveries still waiting on the lock run into the statement timeout.
      await eventually(
        async () =>
          (
            await admin.client<{ n: number }[]>`
              SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = ${admin.name} AND wait_event_type = 'Lock'`
          )[0]!.n === 0,
        within('the waiting deliveries to give up'),
      );
    } finally {
      await holder`ROLLBACK`;
      holder.release();
    }
    expect(await childrenOf(admin, slow.task.id)).toHaveLength(0);

    const { deliver, ledger } = createEngineDelivery(engineDb.db, MAX_ATTEMPTS);
    const report = await redriveParked(
      { deliver, ledger, logger: captureLogs().logger },
      { eventIds: [slow.eventId] },
    );
    expect(report.handled).toEqual([{ eventId: slow.eventId, outcome: 'child_created' }]);
    expect(await childrenOf(admin, slow.task.id)).toHaveLength(1);
    expect(await parked(slow.eventId)).toBeUndefined();
  }, 30_000);
});
