import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  APP_IDS,
  DAPR_STATUS,
  EVENT_SOURCES,
  RECURRENCE_ENGINE_EVENTS_ROUTE,
  TASK_EVENT_TYPES,
} from '@todo/contracts';
import { appendToOutbox, OUTBOX_NOTIFY_CHANNEL, outbox } from '@todo/db';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { createCapturingLogger, eventually } from '@todo/service-runtime/testing';
import { eq } from 'drizzle-orm';
import {
  createDirectTransport,
  createOutboxRelay,
  publishBatch,
  type OutboxRelay,
} from '../src/index.js';
import { startSubscriberFake } from './subscriber-fake.js';

const TOKEN = 'relay-test-app-token-0123456789';

async function writeEvents(
  database: TestDatabase,
  count: number,
  producer: string = APP_IDS.taskApi,
  seriesId = randomUUID(),
) {
  const entries = Array.from({ length: count }, () => ({
    producer,
    aggregateId: seriesId,
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    event: {
      type: TASK_EVENT_TYPES.deleted,
      data: {
        task_id: randomUUID(),
        user_id: randomUUID(),
        series_id: seriesId,
        deleted_at: new Date().toISOString(),
      },
    },
  }));
  return database.db.transaction((tx) => appendToOutbox(tx, entries));
}

const entry = (producer: string, seriesId = randomUUID()) => ({
  producer,
  aggregateId: seriesId,
  event: {
    type: TASK_EVENT_TYPES.deleted,
    data: {
      task_id: randomUUID(),
      user_id: randomUUID(),
      series_id: seriesId,
      deleted_at: new Date().toISOString(),
    },
  },
});

describe('outbox relay', () => {
  let database: TestDatabase;
  let subscriber: Awaited<ReturnType<typeof startSubscriberFake>>;
  let relays: OutboxRelay[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(async () => {
    subscriber = await startSubscriberFake();
    await database.db.delete(outbox);
  });
  afterEach(async () => {
    await Promise.all(relays.map((relay) => relay.stop()));
    relays = [];
    await subscriber.close();
  });

  const transport = () =>
    createDirectTransport({
      engineUrl: subscriber.url,
      source: EVENT_SOURCES.taskApi,
      appToken: TOKEN,
    });
  const startRelay = async (
    overrides: { pollIntervalMs?: number; batchSize?: number; producer?: string } = {},
  ) => {
    const relay = createOutboxRelay({
      db: database.db,
      listenClient: database.client,
      producer: overrides.producer ?? APP_IDS.taskApi,
      transport: transport(),
      logger: createCapturingLogger('relay-test').logger,
      pollIntervalMs: overrides.pollIntervalMs ?? 60_000,
      batchSize: overrides.batchSize ?? 100,
      maxRetryDelayMs: 200,
    });
    relays.push(relay);
    await relay.start();
    return relay;
  };
  const unpublished = async () =>
    (await database.db.select().from(outbox)).filter((row) => !row.publishedAt);
  /** Rows are marked right after the subscriber answered, in the relay's transaction: wait for it. */
  const allPublished = () =>
    eventually(async () => (await unpublished()).length === 0, {
      what: 'every row to be marked published',
    });

  it('delivers each event as the CloudEvent Dapr would, then marks it published', async () => {
    const [eventId] = await writeEvents(database, 1);
    const result = await publishBatch(
      database.db,
      { producer: APP_IDS.taskApi, batchSize: 10, maxRetryDelayMs: 1000 },
      (m) => transport().publish(m),
    );
    expect(result).toMatchObject({ claimed: 1, published: 1, failed: 0 });
    const delivery = subscriber.received[0]!;
    expect(delivery.headers['dapr-api-token']).toBe(TOKEN);
    expect(delivery.body).toMatchObject({
      specversion: '1.0',
      id: eventId,
      type: TASK_EVENT_TYPES.deleted,
      source: EVENT_SOURCES.taskApi,
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    const [row] = await database.db.select().from(outbox).where(eq(outbox.eventId, eventId!));
    expect(row!.publishedAt).not.toBeNull();
    expect(row!.attempts).toBe(1);
    expect(new URL(RECURRENCE_ENGINE_EVENTS_ROUTE, subscriber.url).pathname).toBe(
      '/dapr/task-events',
    );
  });

  it('is woken by the commit itself (NOTIFY), long before its poll interval', async () => {
    await startRelay({ pollIntervalMs: 60_000 });
    await writeEvents(database, 3);
    await eventually(() => subscriber.received.length === 3, {
      timeoutMs: 10_000,
      what: 'the relay to publish after NOTIFY',
    });
    await allPublished();
  });

  it('is notified once per producer a commit wrote rows for, with the producer as payload', async () => {
    const payloads: string[] = [];
    const probes: string[] = [];
    const listening = await database.client.listen(OUTBOX_NOTIFY_CHANNEL, (p) => payloads.push(p));
    const probing = await database.client.listen('outbox_test_probe', (p) => probes.push(p));
    try {
      await database.db.transaction(async (tx) => {
        await appendToOutbox(tx, [
          entry(APP_IDS.taskApi),
          entry(APP_IDS.recurrenceEngine),
          entry(APP_IDS.taskApi),
        ]);
        await appendToOutbox(tx, [entry(APP_IDS.recurrenceEngine)]);
      });
      await writeEvents(database, 2, APP_IDS.recurrenceEngine);
      // Notifications reach one connection in commit order: after the probe, nothing is missing.
      await database.client`SELECT pg_notify('outbox_test_probe', 'done')`;
      await eventually(() => probes.length === 1, { what: 'the probe notification' });
      // A transaction's identical notifications are delivered once.
      expect(payloads.sort()).toEqual(
        [APP_IDS.recurrenceEngine, APP_IDS.recurrenceEngine, APP_IDS.taskApi].sort(),
      );
    } finally {
      await listening.unlisten();
      await probing.unlisten();
    }
  });

  it('wakes only for its own producer’s commits', async () => {
    let cycles = 0;
    const countingDb = new Proxy(database.db, {
      get(target, property, receiver) {
        if (property !== 'transaction') return Reflect.get(target, property, receiver);
        return (...args: Parameters<typeof target.transaction>) => {
          cycles += 1;
          return target.transaction(...args);
        };
      },
    });
    const probes: string[] = [];
    const probing = await database.client.listen('outbox_test_probe', (p) => probes.push(p));
    const relay = createOutboxRelay({
      db: countingDb,
      listenClient: database.client,
      producer: APP_IDS.taskApi,
      transport: transport(),
      logger: createCapturingLogger('relay-test').logger,
      pollIntervalMs: 60_000,
    });
    relays.push(relay);
    try {
      await relay.start();
      await eventually(() => cycles === 1, { what: 'the first cycle at start' });
      // The relay's LISTEN shares the client's listening connection with the probe, so its
      // notifications arrive before the probe's: by then a wake would have started a cycle.
      await writeEvents(database, 1, APP_IDS.recurrenceEngine);
      await database.client`SELECT pg_notify('outbox_test_probe', 'after the engine commit')`;
      await eventually(() => probes.length === 1, { what: 'the first probe' });
      expect(cycles).toBe(1);

      await writeEvents(database, 1, APP_IDS.taskApi);
      await eventually(() => subscriber.received.length === 1, { what: 'its own row published' });
      expect(cycles).toBeGreaterThanOrEqual(2);
    } finally {
      await probing.unlisten();
    }
  });

  it('publishes only its own producer’s rows', async () => {
    await writeEvents(database, 2, APP_IDS.recurrenceEngine);
    const result = await publishBatch(
      database.db,
      { producer: APP_IDS.taskApi, batchSize: 10, maxRetryDelayMs: 1000 },
      (m) => transport().publish(m),
    );
    expect(result.claimed).toBe(0);
    expect(subscriber.received).toHaveLength(0);
  });

  it('keeps rows the subscriber did not accept, with the error and a later retry time, then delivers them', async () => {
    subscriber.answerWith(DAPR_STATUS.retry);
    const [eventId] = await writeEvents(database, 1);
    const result = await publishBatch(
      database.db,
      { producer: APP_IDS.taskApi, batchSize: 10, maxRetryDelayMs: 60_000 },
      (m) => transport().publish(m),
    );
    expect(result).toMatchObject({ claimed: 1, published: 0, failed: 1 });
    const [row] = await database.db.select().from(outbox).where(eq(outbox.eventId, eventId!));
    expect(row).toMatchObject({
      publishedAt: null,
      attempts: 1,
      lastError: 'engine answered 200 RETRY',
    });
    expect(row!.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now());

    // Not due yet: a new batch leaves it alone.
    const early = await publishBatch(
      database.db,
      { producer: APP_IDS.taskApi, batchSize: 10, maxRetryDelayMs: 60_000 },
      (m) => transport().publish(m),
    );
    expect(early.claimed).toBe(0);

    await database.db.update(outbox).set({ nextAttemptAt: new Date(Date.now() - 1000) });
    subscriber.answerWith(DAPR_STATUS.success);
    await startRelay({ pollIntervalMs: 100 });
    await eventually(() => subscriber.received.length === 2, {
      timeoutMs: 10_000,
      what: 'the retry',
    });
    await allPublished();
  });

  it('records every failed row of a batch in one go: its own error and its own backoff', async () => {
    const [published, first, fourth] = await writeEvents(database, 3);
    // The third row failed three times before: its next attempt waits 4 s, the second's 0.5 s.
    await database.db.update(outbox).set({ attempts: 3 }).where(eq(outbox.eventId, fourth!));
    const result = await publishBatch(
      database.db,
      { producer: APP_IDS.taskApi, batchSize: 10, maxRetryDelayMs: 60_000 },
      async (messages) =>
        messages.map((m) =>
          m.eventId === published
            ? { eventId: m.eventId, ok: true as const }
            : { eventId: m.eventId, ok: false as const, error: `refused ${m.eventId}` },
        ),
    );
    expect(result).toMatchObject({ claimed: 3, published: 1, failed: 2 });
    const rows = new Map(
      (await database.db.select().from(outbox)).map((row) => [row.eventId, row]),
    );
    expect(rows.get(published!)).toMatchObject({
      attempts: 1,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(rows.get(first!)).toMatchObject({ attempts: 1, lastError: `refused ${first}` });
    expect(rows.get(fourth!)).toMatchObject({ attempts: 4, lastError: `refused ${fourth}` });
    const waitOf = (id: string) =>
      rows.get(id)!.nextAttemptAt!.getTime() - rows.get(published!)!.publishedAt!.getTime();
    expect(waitOf(first!)).toBeGreaterThanOrEqual(400);
    expect(waitOf(first!)).toBeLessThan(1500);
    expect(waitOf(fourth!)).toBeGreaterThanOrEqual(3900);
    expect(waitOf(fourth!)).toBeLessThan(5000);
  });

  it('keeps everything when the subscriber is unreachable, and catches up when it is back', async () => {
    await subscriber.close();
    const relay = createOutboxRelay({
      db: database.db,
      listenClient: database.client,
      producer: APP_IDS.taskApi,
      transport: createDirectTransport({
        engineUrl: subscriber.url,
        source: EVENT_SOURCES.taskApi,
        appToken: TOKEN,
        timeoutMs: 500,
      }),
      logger: createCapturingLogger('relay-test').logger,
      pollIntervalMs: 100,
      maxRetryDelayMs: 200,
    });
    relays.push(relay);
    await relay.start();
    await writeEvents(database, 5);
    await eventually(
      async () =>
        (await database.db.select().from(outbox)).every(
          (row) => row.attempts >= 1 && row.lastError,
        ),
      { what: 'every row to have failed once, with its error' },
    );
    expect(await unpublished()).toHaveLength(5);
    await relay.stop();
    relays = [];

    subscriber = await startSubscriberFake();
    await database.db.update(outbox).set({ nextAttemptAt: null });
    await startRelay({ pollIntervalMs: 100 });
    await eventually(() => subscriber.received.length >= 5, {
      timeoutMs: 10_000,
      what: 'catch-up',
    });
    await allPublished();
  });

  it('with several relays at once, delivers every row exactly once', async () => {
    await writeEvents(database, 150, APP_IDS.taskApi, randomUUID());
    await Promise.all([
      startRelay({ batchSize: 7, pollIntervalMs: 50 }),
      startRelay({ batchSize: 7, pollIntervalMs: 50 }),
      startRelay({ batchSize: 7, pollIntervalMs: 50 }),
    ]);
    await eventually(() => subscriber.received.length >= 150, {
      timeoutMs: 20_000,
      what: 'all rows',
    });
    // A row is marked in the transaction that delivered it, under its lock: once every row is
    // marked, no relay can still deliver one, so the count below is final.
    await allPublished();
    const ids = subscriber.received.map((d) => d.body.id as string);
    expect(ids).toHaveLength(150);
    expect(new Set(ids).size).toBe(150);
  });
});
