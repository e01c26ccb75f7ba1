import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { outbox, taskChanges } from '@todo/db';
import { eventually } from '@todo/service-runtime/testing';
import {
  SignedOutError,
  signUp,
  startDirectStack,
  streamTaskChanges,
  type DirectStack,
  type SignedUpUser,
  type StreamTaskChangesOptions,
  type TaskStreamEvent,
} from '@todo/stack-harness';
import { isNull } from 'drizzle-orm';

/** The task a change carries (stack-harness re-exports the event type, not this one). */
type StreamedTask = Extract<TaskStreamEvent['data'], { task: unknown }>['task'];

type Reconnect = Parameters<NonNullable<StreamTaskChangesOptions['onReconnect']>>[0];

/** A client reading the stream through `@todo/api-client`'s `streamTaskChanges`. */
interface Follower {
  events: TaskStreamEvent[];
  /** Each time a connection ended and the client was about to reconnect. */
  reconnects: Reconnect[];
  /** What `streamTaskChanges` settled with: undefined once stopped, or the error it rejected with. */
  settled: Promise<unknown>;
  /** Aborts, as a client leaving does. */
  stop(): void;
}

/**
 * The live stream across replicas: two task-api processes and the engine on one database, no
 * sidecars, read through the typed client as a frontend reads it. A client streaming from replica
 * A sees what is done through replica B and what the engine creates, each with the task as the
 * REST API returns it; after a disconnection, `Last-Event-ID` brings exactly what it missed; a
 * position older than the retention is a reset; a logged-out session's stream ends.
 */
describe('live task stream across two task-api replicas and the engine', () => {
  let stack: DirectStack;
  let user: SignedUpUser;
  let a: string;
  let b: string;
  const followers: Follower[] = [];

  beforeAll(async () => {
    stack = await startDirectStack({
      apiReplicas: 2,
      apiEnv: {
        // Pruned within a second of rows getting older than a minute (the test ages them).
        STREAM_RETENTION_SECONDS: '60',
        STREAM_PRUNE_INTERVAL_SECONDS: '1',
        // Sessions of open streams are checked on each heartbeat.
        STREAM_HEARTBEAT_SECONDS: '1',
      },
    });
    [a, b] = stack.apis.map((api) => api.url) as [string, string];
    user = await signUp(b);
  });
  afterAll(async () => {
    for (const follower of followers) follower.stop();
    await stack?.close();
  });

  /** Streams `baseUrl` as `who` (the user by default), from `lastEventId` if given. */
  const follow = (baseUrl: string, lastEventId?: string, who: SignedUpUser = user): Follower => {
    const controller = new AbortController();
    const follower: Follower = {
      events: [],
      reconnects: [],
      settled: Promise.resolve(),
      stop: () => controller.abort(),
    };
    follower.settled = streamTaskChanges({
      baseUrl,
      getAccessToken: who.session.getAccessToken,
      refreshAccessToken: who.session.refreshAccessToken,
      signal: controller.signal,
      ...(lastEventId ? { lastEventId } : {}),
      onEvent: (event) => follower.events.push(event),
      onReconnect: (info) => follower.reconnects.push(info),
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    followers.push(follower);
    return follower;
  };
  const eventsOf = (follower: Follower, count: number) =>
    eventually(() => follower.events.length >= count && follower.events, {
      what: `${count} stream events (got ${JSON.stringify(follower.events.map((e) => e.event))})`,
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
  const restTask = async (id: string) => (await user.get(id)).task;
  const taskOf = (event: TaskStreamEvent): StreamedTask => {
    if (!('task' in event.data)) throw new Error(`a ${event.event} event carries no task`);
    return event.data.task;
  };
  const ascending = (events: TaskStreamEvent[]) =>
    events.every((e, i) => i === 0 || BigInt(e.id) > BigInt(events[i - 1]!.id));

  let readyId: string;
  let lastSeen: string;
  let child: StreamedTask;

  it('streams from A what is done through B and the child the engine creates', async () => {
    const reader = follow(a);
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
    expect(child).toMatchObject({
      parent_task_id: created.id,
      series_id: created.id,
      version: 1,
    });
    expect(child).toEqual(await restTask(child.id));
    expect(ascending(events)).toBe(true);
    for (const event of events) expect(event.data.type).toBe(event.event);
    lastSeen = events[2]!.id;
    reader.stop();
    expect(await reader.settled).toBeUndefined();
  });

  it('brings a reconnecting client exactly what it missed, in order, then live', async () => {
    // While nobody listens: a task created through B, the child completed through A, and the
    // grandchild the engine creates.
    const missed = await user.create({ title: 'Missed while away' });
    const done = await user.complete(child.id);
    await drained();

    const reader = follow(b, lastSeen);
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
    expect(reader.reconnects).toEqual([]);
    reader.stop();
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
    const reader = follow(a, readyId);
    const [reset] = await eventsOf(reader, 1);
    expect(reset).toMatchObject({ event: 'reset', data: { type: 'reset', reason: 'expired' } });
    const next = await user.create({ title: 'After the reset' });
    const [, live] = await eventsOf(reader, 2);
    expect(taskOf(live!)).toEqual(next);
    // Aborted, as a client leaving does; the shutdown below must not wait for its connection.
    reader.stop();
  });

  it('ends the stream of a session that logs out, and the client with SignedOutError', async () => {
    const leaving = await signUp(b);
    const reader = follow(a, undefined, leaving);
    await eventsOf(reader, 1);
    // Logged out through the other replica, with the access token (the client sends it).
    const { response } = await leaving.client.POST('/api/auth/logout', { body: {} });
    expect(response.status).toBe(204);
    expect(await reader.settled).toBeInstanceOf(SignedOutError);
    expect(reader.events.map((e) => e.event)).toEqual(['ready', 'signed_out']);
    expect(reader.events[1]!.id).toBe(reader.events[0]!.id);
    // It did not try to reconnect.
    expect(reader.reconnects).toEqual([]);
  });

  it('ends open streams with a retry hint when a replica shuts down, without holding up its drain', async () => {
    const reader = follow(a);
    await eventsOf(reader, 1);
    const replica = stack.apis[0]!;
    await replica.stop();
    // Ended by the server (no error, no status), so the client reconnects after its hint; the
    // attempts against the stopped replica then fail until the client gives up.
    const [ended] = await eventually(() => reader.reconnects.length > 0 && reader.reconnects, {
      what: 'the stream ended',
    });
    expect(ended).toEqual({ delayMs: expect.any(Number) });
    reader.stop();
    expect(await reader.settled).toBeUndefined();
    const ownLines = stack.logs.filter((line) => line.startsWith(`[${replica.name}]`));
    expect(ownLines.some((line) => line.includes('shutdown complete'))).toBe(true);
    expect(ownLines.some((line) => line.includes('shutdown timed out'))).toBe(false);
  });
});
