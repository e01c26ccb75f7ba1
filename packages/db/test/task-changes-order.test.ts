import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TASK_EVENT_TYPES, type TaskEvent } from '@todo/contracts';
import { eventually } from '@todo/service-runtime/testing';
import { and, asc, eq, gt } from 'drizzle-orm';
import {
  outbox,
  recordTaskEvents,
  taskChanges,
  tasks,
  toSnapshot,
  users,
  type TaskRow,
} from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

/** recordTaskEvents writes each event to the outbox and to its owner's change log (task_changes). */
describe('the change log recordTaskEvents writes', () => {
  let t: TestDatabase;
  let task: TaskRow;

  beforeAll(async () => {
    t = await createTestDatabase();
    const [user] = await t.db
      .insert(users)
      .values({ email: 'changes@example.com', passwordHash: 'x' })
      .returning();
    const [row] = await t.db
      .insert(tasks)
      .values({ userId: user!.id, title: 'Plants' })
      .returning();
    task = row!;
  });
  afterAll(async () => {
    await t.drop();
  });

  const created = (row: TaskRow): TaskEvent => ({
    type: TASK_EVENT_TYPES.created,
    data: { task: toSnapshot(row) },
  });
  const origin = { producer: 'test' };

  it('logs every event under its outbox id, with the task as it stands, or the event data', async () => {
    const deleted: TaskEvent = {
      type: TASK_EVENT_TYPES.deleted,
      data: {
        task_id: task.id,
        user_id: task.userId,
        series_id: task.id,
        deleted_at: '2030-01-01T00:00:00.000Z',
      },
    };
    const ids = await t.db.transaction((tx) =>
      recordTaskEvents(tx, origin, task, [created(task), deleted]),
    );
    const logged = await t.db
      .select()
      .from(taskChanges)
      .where(eq(taskChanges.userId, task.userId))
      .orderBy(asc(taskChanges.seq));
    expect(logged.map((row) => [row.eventId, row.type])).toEqual([
      [ids[0], TASK_EVENT_TYPES.created],
      [ids[1], TASK_EVENT_TYPES.deleted],
    ]);
    expect(logged[0]!.payload).toEqual({ task: toSnapshot(task), version: 1 });
    expect(logged[1]!.payload).toEqual(deleted.data);
    const published = await t.db.select().from(outbox);
    expect(published.map((row) => row.eventId).sort()).toEqual([...ids].sort());
  });

  it('logs the version the row has after the change, as the trigger bumped it', async () => {
    const [renamed] = await t.db
      .update(tasks)
      .set({ title: 'Plants, watered' })
      .where(eq(tasks.id, task.id))
      .returning();
    expect(renamed!.version).toBe(2);
    const [eventId] = await t.db.transaction((tx) =>
      recordTaskEvents(tx, origin, renamed!, [created(renamed!)]),
    );
    const [logged] = await t.db.select().from(taskChanges).where(eq(taskChanges.eventId, eventId!));
    expect(logged!.payload).toEqual({ task: toSnapshot(renamed!), version: 2 });
  });

  it('makes one user’s changes visible in seq order: a reader by last seq never skips one', async () => {
    // The reader a stream is: remember the last seq seen, read what is after it.
    let lastSeq = BigInt(0);
    const seen: bigint[] = [];
    const read = async () => {
      const rows = await t.db
        .select({ seq: taskChanges.seq })
        .from(taskChanges)
        .where(and(eq(taskChanges.userId, task.userId), gt(taskChanges.seq, lastSeq)))
        .orderBy(asc(taskChanges.seq));
      for (const row of rows) {
        seen.push(row.seq);
        lastSeq = row.seq;
      }
    };
    await read();
    seen.length = 0;

    // The first transaction appends, then waits; the second appends and commits meanwhile.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstAppended!: () => void;
    const appended = new Promise<void>((resolve) => (firstAppended = resolve));
    const first = t.db.transaction(async (tx) => {
      await recordTaskEvents(tx, origin, task, [created(task)]);
      firstAppended();
      await held;
    });
    await appended;
    let secondDone = false;
    const second = t.db
      .transaction((tx) => recordTaskEvents(tx, origin, task, [created(task)]))
      .then(() => (secondDone = true));
    // The second either committed (the log is out of commit order) or queues on the user's lock.
    await eventually(
      async () => {
        if (secondDone) return true;
        const waiting = await t.client`
          SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`;
        return waiting.length > 0;
      },
      { what: 'the second transaction to commit or to wait for the first' },
    );
    await read();
    release();
    await Promise.all([first, second]);
    await read();

    const all = await t.db
      .select({ seq: taskChanges.seq })
      .from(taskChanges)
      .where(eq(taskChanges.userId, task.userId))
      .orderBy(asc(taskChanges.seq));
    expect(seen).toEqual(all.slice(-2).map((row) => row.seq));
  });
});
