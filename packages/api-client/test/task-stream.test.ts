import { afterEach, describe, expect, it } from '@jest/globals';
import { eventually } from '@todo/service-runtime/testing';
import {
  createSession,
  SignedOutError,
  streamTaskChanges,
  type TaskStreamEvent,
} from '../src/index.js';
import { sseEvent, startTaskStreamFake, type StreamScript } from './support/task-stream-fake.js';

const task = (id: string, title: string) => ({
  id,
  title,
  description: null,
  priority: 'medium',
  status: 'pending',
  tags: [],
  due_date: null,
  completed_at: null,
  recurring_type: 'none',
  recurring_end_date: null,
  recurrence: null,
  parent_task_id: null,
  series_id: id,
  occurrence_index: 0,
  created_at: '2030-01-01T00:00:00.000Z',
  updated_at: '2030-01-01T00:00:00.000Z',
});
const created = (seq: string, title: string) =>
  sseEvent(seq, 'created', {
    event_id: `00000000-0000-4000-8000-00000000000${seq}`,
    type: 'created',
    task: task(`00000000-0000-4000-8000-0000000000a${seq}`, title),
    occurred_at: '2030-01-01T00:00:00.000Z',
  });

describe('streamTaskChanges against a task-stream fake', () => {
  let fake: Awaited<ReturnType<typeof startTaskStreamFake>> | undefined;
  const controller = { current: new AbortController() };
  afterEach(async () => {
    controller.current.abort();
    controller.current = new AbortController();
    await fake?.close();
  });

  async function stream(scripts: StreamScript[], lastEventId?: string) {
    fake = await startTaskStreamFake(scripts);
    const session = createSession({
      baseUrl: fake.baseUrl,
      refreshTokenIn: 'body',
      tokens: { access_token: 'token-0', refresh_token: 'refresh-0' },
    });
    const events: TaskStreamEvent[] = [];
    const done = streamTaskChanges({
      baseUrl: fake.baseUrl,
      getAccessToken: session.getAccessToken,
      refreshAccessToken: session.refreshAccessToken,
      signal: controller.current.signal,
      onEvent: (event) => events.push(event),
      ...(lastEventId ? { lastEventId } : {}),
    });
    return { fake, events, done };
  }

  it('delivers typed events, then resumes with Last-Event-ID after the server ends the stream', async () => {
    const { fake, events, done } = await stream([
      (res) => {
        res.write('retry: 10\n\n: heartbeat\n\n');
        res.write(sseEvent('1', 'ready', { type: 'ready', last_event_id: '1' }));
        // One event split inside a line, as TCP may deliver it.
        const second = created('2', 'Split');
        res.write(second.slice(0, 25));
        setTimeout(() => res.end(second.slice(25)), 20);
      },
      (res) => res.write(created('3', 'After the reconnect')),
    ]);

    await eventually(() => events.length === 3, { what: 'three events' });
    expect(events.map((e) => [e.id, e.event])).toEqual([
      ['1', 'ready'],
      ['2', 'created'],
      ['3', 'created'],
    ]);
    const second = events[1]!;
    expect(second.event === 'created' && second.data.task.title).toBe('Split');
    expect(fake.streamRequests.map((h) => h['last-event-id'])).toEqual([undefined, '2']);
    expect(fake.streamRequests[0]!.accept).toBe('text/event-stream');

    controller.current.abort();
    await expect(done).resolves.toBeUndefined();
  });

  it('settles when aborted mid-stream even after garbage collection (nodejs/undici#3644)', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('run the tests with node --expose-gc (the package test script does)');
    const { events, done } = await stream([(res) => res.write(created('1', 'Open stream'))]);
    await eventually(() => events.length === 1, { what: 'the first event' });
    // Lets undici's Request, and with it the signal's link to the body, be collected.
    for (let i = 0; i < 3; i += 1) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    controller.current.abort();
    const settled = await Promise.race([
      done.then(() => 'settled'),
      new Promise((resolve) => setTimeout(() => resolve('still open'), 2000)),
    ]);
    expect(settled).toBe('settled');
  });

  it('starts from the lastEventId it is given and passes a reset on', async () => {
    const { fake, events } = await stream(
      [
        (res) =>
          res.write(
            sseEvent('9', 'reset', { type: 'reset', reason: 'expired', last_event_id: '9' }),
          ),
      ],
      '4',
    );
    await eventually(() => events.length === 1, { what: 'the reset' });
    expect(events[0]).toEqual({
      id: '9',
      event: 'reset',
      data: { type: 'reset', reason: 'expired', last_event_id: '9' },
    });
    expect(fake.streamRequests[0]!['last-event-id']).toBe('4');
  });

  it('renews an expired token on a 401 and reconnects with the new one and the last id', async () => {
    const { fake, events } = await stream([
      (res) => {
        res.write('retry: 10\n\n');
        res.end(created('1', 'Before expiry'));
        fake!.expireToken();
      },
      (res) => res.write(created('2', 'After renewal')),
    ]);
    await eventually(() => events.length === 2, { what: 'both events' });
    expect(fake.refreshes()).toBe(1);
    expect(fake.streamRequests.map((h) => [h.authorization, h['last-event-id']])).toEqual([
      ['Bearer token-0', undefined],
      ['Bearer token-0', '1'],
      ['Bearer token-1', '1'],
    ]);
  });

  it('rejects with SignedOutError when the session cannot be renewed', async () => {
    const { fake, done } = await stream([]);
    fake.refuseRefresh();
    fake.expireToken();
    await expect(done).rejects.toBeInstanceOf(SignedOutError);
    expect(fake.refreshes()).toBe(1);
  });

  /** A stream that sends one change, then `name` as its last event, then (ignored) another. */
  const endingWith = (name: string, data: unknown) =>
    stream([
      (res) => {
        res.write('retry: 10\n\n');
        res.write(created('1', 'Before'));
        // The server ends the stream after it; one more event in the same chunk is not passed on.
        res.end(sseEvent('2', name, data) + created('3', 'Never'));
      },
      (res) => res.write(created('4', 'Never either')),
    ]);

  it('stops at signed_out and rejects with SignedOutError, without reconnecting', async () => {
    const data = { type: 'signed_out', last_event_id: '2' };
    const { fake, events, done } = await endingWith('signed_out', data);
    await expect(done).rejects.toBeInstanceOf(SignedOutError);
    expect(events.map((e) => [e.event, e.data])).toEqual([
      ['created', expect.anything()],
      ['signed_out', data],
    ]);
    expect(fake.streamRequests).toHaveLength(1);
    expect(fake.refreshes()).toBe(0);
  });

  it('stops at account_deleted and resolves, without reconnecting', async () => {
    const data = {
      event_id: '00000000-0000-4000-8000-0000000000d2',
      type: 'account_deleted',
      occurred_at: '2030-01-01T00:00:00.000Z',
    };
    const { fake, events, done } = await endingWith('account_deleted', data);
    await expect(done).resolves.toBeUndefined();
    expect(events.map((e) => [e.event, e.data])).toEqual([
      ['created', expect.anything()],
      ['account_deleted', data],
    ]);
    expect(fake.streamRequests).toHaveLength(1);
    expect(fake.refreshes()).toBe(0);
  });

  it('rejects with what onEvent threw, a TypeError too, instead of taking it for a cut connection', async () => {
    fake = await startTaskStreamFake([
      (res) => res.write(created('1', 'First') + created('2', 'Second')),
      (res) => res.write(created('3', 'Never')),
    ]);
    const seen: string[] = [];
    const done = streamTaskChanges({
      baseUrl: fake.baseUrl,
      getAccessToken: () => 'token-0',
      signal: controller.current.signal,
      onEvent: (event) => {
        seen.push(event.id);
        (undefined as unknown as { task: string }).task.trim();
      },
    });
    await expect(done).rejects.toBeInstanceOf(TypeError);
    expect(seen).toEqual(['1']);
    expect(fake.streamRequests).toHaveLength(1);
  });
});
