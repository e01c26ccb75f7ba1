import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { EVENT_SOURCES, PUBSUB_NAME, TASK_EVENT_TYPES, TASK_EVENTS_TOPIC } from '@todo/contracts';
import { createDaprTransport, type OutboxMessage } from '../src/index.js';
import { startDaprdFake } from './daprd-fake.js';

const TOKEN = 'sidecar-api-token-0123456789';

const message = (eventId: string, traceparent: string | null = null): OutboxMessage => ({
  eventId,
  producer: 'task-api',
  aggregateId: `series-of-${eventId}`,
  type: TASK_EVENT_TYPES.deleted,
  payload: { task_id: eventId },
  traceparent,
  createdAt: new Date(),
});

describe('dapr transport (publishBulk against a daprd fake)', () => {
  let daprd: Awaited<ReturnType<typeof startDaprdFake>>;
  beforeEach(async () => {
    daprd = await startDaprdFake();
  });
  afterEach(async () => {
    await daprd.close();
  });

  const transport = (timeoutMs?: number) =>
    createDaprTransport({
      host: '127.0.0.1',
      httpPort: daprd.port,
      source: EVENT_SOURCES.taskApi,
      apiToken: TOKEN,
      ...(timeoutMs ? { timeoutMs } : {}),
    });

  it('sends one entry per event with its id, type, source, partition key and traceparent', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const results = await transport().publish([message('a', traceparent), message('b')]);

    expect(results).toEqual([
      { eventId: 'a', ok: true },
      { eventId: 'b', ok: true },
    ]);
    expect(daprd.requests).toHaveLength(1);
    const [request] = daprd.requests;
    expect(request!.path).toBe(`/v1.0-alpha1/publish/bulk/${PUBSUB_NAME}/${TASK_EVENTS_TOPIC}`);
    expect(request!.headers['dapr-api-token']).toBe(TOKEN);
    expect(request!.body).toEqual([
      {
        entryID: 'a',
        event: { task_id: 'a' },
        contentType: 'application/json',
        metadata: {
          'cloudevent.id': 'a',
          'cloudevent.type': TASK_EVENT_TYPES.deleted,
          'cloudevent.source': EVENT_SOURCES.taskApi,
          partitionKey: 'series-of-a',
          'cloudevent.traceparent': traceparent,
        },
      },
      {
        entryID: 'b',
        event: { task_id: 'b' },
        contentType: 'application/json',
        metadata: {
          'cloudevent.id': 'b',
          'cloudevent.type': TASK_EVENT_TYPES.deleted,
          'cloudevent.source': EVENT_SOURCES.taskApi,
          partitionKey: 'series-of-b',
        },
      },
    ]);
  });

  // This and the next two fail without infra/pnpm-patches/@dapr__dapr@3.18.0.patch: the SDK then
  // finds none of the entries daprd lists (it looks for `entryID`) and reports every event as
  // published.
  it('reports exactly the entries daprd lists as failed, with daprd’s error', async () => {
    daprd.answerWith({
      kind: 'fail-entries',
      entries: [{ entryId: 'b', error: 'x' }],
    });
    const results = await transport().publish([message('a'), message('b')]);
    expect(results).toEqual([
      { eventId: 'a', ok: true },
      { eventId: 'b', ok: false, error: 'x' },
    ]);
  });

  it('reports every event failed when daprd lists them all (the broker is down)', async () => {
    const error = 'kafka: client has run out of available brokers to talk to';
    daprd.answerWith({
      kind: 'fail-entries',
      entries: [
        { entryId: 'a', error },
        { entryId: 'b', error },
      ],
    });
    const results = await transport().publish([message('a'), message('b')]);
    expect(results).toEqual([
      { eventId: 'a', ok: false, error },
      { eventId: 'b', ok: false, error },
    ]);
  });

  it('reports every event failed when daprd answers an error that lists no entry', async () => {
    daprd.answerWith({ kind: 'fail-entries', entries: [] });
    const results = await transport().publish([message('a'), message('b')]);
    expect(results.map((r) => r.ok)).toEqual([false, false]);
    for (const result of results) {
      expect(!result.ok && result.error).toContain('ERR_PUBSUB_PUBLISH_MESSAGE');
    }
  });

  it('reports every event failed when the whole request is refused', async () => {
    daprd.answerWith({
      kind: 'reject',
      status: 404,
      body: { errorCode: 'ERR_PUBSUB_NOT_FOUND', message: `pubsub ${PUBSUB_NAME} not found` },
    });
    const results = await transport().publish([message('a'), message('b')]);
    expect(results.map((r) => r.ok)).toEqual([false, false]);
    for (const result of results) {
      expect(!result.ok && result.error).toContain('ERR_PUBSUB_NOT_FOUND');
    }
  });

  it('gives up on a publish the sidecar holds open, and reports every event failed', async () => {
    daprd.answerWith({ kind: 'hang' });
    const results = await transport(300).publish([message('a')]);
    expect(results).toEqual([{ eventId: 'a', ok: false, error: 'publish timed out after 300 ms' }]);
  });
});
