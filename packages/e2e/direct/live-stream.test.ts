import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { outbox, taskChanges } from '@todo/db';
import { eventually } from '@todo/service-runtime/testing';
import {
  readTaskStream,
  signUp,
  startDirectStack,
  type DirectStack,
  type SignedUpUser,
  type StreamEvent,
  type Task,
  type TaskStreamReader,
} from '@todo/stack-harness';
import { isNull } from 'drizzle-orm';

/**
 * The live stream across replicas: two task-api processes and the engine on one database, no
 * sidecars. A client streaming from replica A sees what is done through replica B and what the
 * engine creates, each with the task as the REST API returns it; after a disconnection,
 * `Last-Event-ID` brings exactly what it missed; a position older than the retention is a reset.
 */
describe('live task stream across two task-api replicas and the engine', () => {
  let stack: DirectStack;
  let user: SignedUpUser;
  let a: string;
  let b: string;
  const readers: TaskStreamReader[] = [];

  beforeAll(async () => {
    stack = await startDirectStack({
      apiReplicas: 2,
      // Pruned within a second of rows getting older than a minute (the test ages them).
      apiEnv: { STREAM_RETENTION_SECONDS: '60', STREAM_PRUNE_INTERVAL_SECONDS: '1' },
    });
    [a, b] = stack.apis.map((api) => api.url) as [string, string];
    user = await signUp(b);
  });
  afterAll(async () => {
    for (const reader of readers) reader.close();
    await stack?.close();
  });

  const stream = async (url: string, lastEventId?: string) => {
    const reader = await readTaskStream(url, user.session.getAccessToken()!, { lastEventId });
    readers.push(reader);
    expect(reader.status).toBe(200);
    return reader;
  };
  const eventsOf = (reader: TaskStreamReader, count: number) =>
    eventually(() => reader.events.length >= count && reader.events, {
      what: `${count} stream events (got ${JSON.stringify(reader.events.map((e) => e.event))})`,
      timeoutMs: 30_000,
    });
  /** Every outbox row delivered: the engine has committed every child it will create. */
  const drained = () =>
    eventually(
      async () =>
        (
          await stack.database.db
            .select({ id: outbox.eventId })
            .from(outbox)
            .where(isNull(outbox.publishedAt))
        ).length === 0,
      { what: 'every outbox event delivered', timeoutMs: 30_000, intervalMs: 100 },
    );
  const restTask = async (id: string) => (await user.get(id)).task!;
  const taskOf = (event: StreamEvent) => event.data.task as Task;
  const ascending = (events: StreamEvent[]) =>
    events.every((e, i) => i === 0 || BigInt(e.id) > BigInt(events[i - 1]!.id));

  let readyId: string;
  let lastSeen: string;
  let child: Task;

  it('streams from A what is done through B and the child the engine creates', async () => {
    const reader = await stream(a);
    const [ready] = await eventsOf(reader, 1);
    expect(ready!.event).toBe('ready');
    readyId = ready!.id;

    const created = await user.create({
      title: 'Water the plants',
      due_date: '2030-01-07T09:00:00+01:00',
      recurring_type: 'weekly',
    });
    const completed = await user.complete(created.id);
    expect(completed.status).toBe(200);

    const events = (await eventsOf(reader, 4)).slice(1, 4);
    expect(events.map((e) => e.event)).toEqual(['created', 'completed', 'created']);
    expect(taskOf(events[0]!)).toEqual(created);
    expect(taskOf(events[1]!)).toEqual(completed.task);
    child = taskOf(events[2]!);
    expect(child).toMatchObject({ parent_task_id: created.id, series_id: created.id });
    expect(child).toEqual(await restTask(child.id));
    expect(ascending(events)).toBe(true);
    for (const event of events) expect(event.data.type).toBe(event.event);
    lastSeen = events[2]!.id;
    reader.close();
  });

  it('brings a reconnecting client exactly what it missed, in order, then live', async () => {
    // While nobody listens: a task created through B, the child completed through A, and the
    // grandchild the engine creates.
    const missed = await user.create({ title: 'Missed while away' });
    const done = await user.complete(child.id);
    await drained();

    const reader = await stream(b, lastSeen);
    const caughtUp = await eventsOf(reader, 3);
    expect(caughtUp.map((e) => e.event)).toEqual(['created', 'completed', 'created']);
    expect(taskOf(caughtUp[0]!)).toEqual(missed);
    expect(taskOf(caughtUp[1]!)).toEqual(done.task);
    const grandchild = taskOf(caughtUp[2]!);
    expect(grandchild).toMatchObject({ parent_task_id: child.id, occurrence_index: 2 });
    expect(grandchild).toEqual(await restTask(grandchild.id));
    expect(BigInt(caughtUp[0]!.id)).toBeGreaterThan(BigInt(lastSeen));

    // Nothing else was pending: the next change is the very next event.
    const marker = await user.create({ title: 'Live again' });
    const all = await eventsOf(reader, 4);
    expect(all).toHaveLength(4);
    expect(taskOf(all[3]!)).toEqual(marker);
    expect(new Set(all.map((e) => e.id)).size).toBe(4);
    expect(ascending(all)).toBe(true);
    reader.close();
  });

  it('tells a client whose position is past the retention window to refetch, then goes on live', async () => {
    // Age every change past the 60 s window; the replicas' pruner keeps only the newest row.
    await stack.database.db
      .update(taskChanges)
      .set({ createdAt: new Date(Date.now() - 3_600_000) });
    await eventually(
      async () => (await stack.database.db.select().from(taskChanges)).length === 1,
      { what: 'the change log pruned', timeoutMs: 30_000 },
    );
    const reader = await stream(a, readyId);
    const [reset] = await eventsOf(reader, 1);
    expect(reset).toMatchObject({ event: 'reset', data: { type: 'reset', reason: 'expired' } });
    const next = await user.create({ title: 'After the reset' });
    const [, live] = await eventsOf(reader, 2);
    expect(taskOf(live!)).toEqual(next);
    // Aborted, as a client leaving does; the shutdown below must not wait for its connection.
    reader.close();
  });

  it('ends open streams with a retry hint when a replica shuts down, without holding up its drain', async () => {
    const reader = await stream(a);
    await eventsOf(reader, 1);
    const replica = stack.apis[0]!;
    await replica.stop();
    await reader.ended;
    expect(reader.retries).toHaveLength(2);
    const ownLines = stack.logs.filter((line) => line.startsWith(`[${replica.name}]`));
    expect(ownLines.some((line) => line.includes('shutdown complete'))).toBe(true);
    expect(ownLines.some((line) => line.includes('shutdown timed out'))).toBe(false);
  });
});
