import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { APP_IDS, TASK_EVENT_TYPES } from '@todo/contracts';
import { appendToOutbox, outbox } from '@todo/db';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { createCapturingLogger, eventually } from '@todo/service-runtime/testing';
import { isNull, sql } from 'drizzle-orm';
import { createOutboxRelay, type OutboxRelay } from '../src/index.js';
import { createOverlapRecordingTransport } from './overlap-recording-transport.js';

const deleted = (seriesId: string) => ({
  type: TASK_EVENT_TYPES.deleted,
  data: {
    task_id: randomUUID(),
    user_id: randomUUID(),
    series_id: seriesId,
    deleted_at: new Date().toISOString(),
  },
});

describe('outbox relay lanes (OUTBOX_PUBLISHERS)', () => {
  let database: TestDatabase;
  let relays: OutboxRelay[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(async () => {
    await database.db.delete(outbox);
  });
  afterEach(async () => {
    await Promise.all(relays.map((relay) => relay.stop()));
    relays = [];
  });

  /** The lane of `count` that claims an aggregate's rows, as the claim query computes it. */
  const laneOf = async (aggregateId: string, count: number) => {
    const [row] = await database.db.execute<{ lane: number }>(
      sql`SELECT (hashtext(${aggregateId}::uuid::text) & 2147483647) % ${count} AS lane`,
    );
    return Number(row!.lane);
  };
  /** `perLane` new aggregate ids for each of `count` lanes. */
  const aggregatesCovering = async (count: number, perLane: number) => {
    const byLane = Array.from({ length: count }, () => [] as string[]);
    while (byLane.some((ids) => ids.length < perLane)) {
      const id = randomUUID();
      const ids = byLane[await laneOf(id, count)]!;
      if (ids.length < perLane) ids.push(id);
    }
    return byLane;
  };
  /** One event for `aggregateId` in a transaction of its own; returns its id. */
  const writeOne = async (aggregateId: string) => {
    const [eventId] = await database.db.transaction((tx) =>
      appendToOutbox(tx, [{ producer: APP_IDS.taskApi, aggregateId, event: deleted(aggregateId) }]),
    );
    return eventId!;
  };
  const unpublishedCount = async () =>
    (await database.db.select().from(outbox).where(isNull(outbox.publishedAt))).length;
  const startRelay = async (
    transport: ReturnType<typeof createOverlapRecordingTransport>['transport'],
    publishers: number,
    batchSize = 5,
  ) => {
    const relay = createOutboxRelay({
      db: database.db,
      listenClient: database.client,
      producer: APP_IDS.taskApi,
      transport,
      logger: createCapturingLogger('lanes-test').logger,
      publishers,
      batchSize,
      pollIntervalMs: 50,
      maxRetryDelayMs: 200,
    });
    relays.push(relay);
    await relay.start();
    return relay;
  };

  it('publishes from every lane at once', async () => {
    const lanes = 4;
    for (const ids of await aggregatesCovering(lanes, 1)) await writeOne(ids[0]!);
    // Each call waits until all four are in flight: serial lanes would never get there.
    const recording = createOverlapRecordingTransport({ holdUntilInFlight: lanes });
    await startRelay(recording.transport, lanes);
    await eventually(async () => (await unpublishedCount()) === 0, { what: 'every row published' });
    expect(recording.maxInFlight).toBe(lanes);
    expect(recording.calls).toHaveLength(lanes);
  });

  it('keeps each aggregate’s events in the order they were written', async () => {
    const lanes = 3;
    const aggregates = (await aggregatesCovering(lanes, 2)).flat();
    const written = new Map(aggregates.map((id) => [id, [] as string[]]));
    // Interleaved, one transaction each, so created_at orders them: 12 rounds over 6 aggregates.
    for (let round = 0; round < 12; round += 1) {
      for (const id of aggregates) written.get(id)!.push(await writeOne(id));
    }
    const recording = createOverlapRecordingTransport();
    await startRelay(recording.transport, lanes, 4);
    await eventually(async () => (await unpublishedCount()) === 0, { what: 'every row published' });

    const aggregateOf = new Map(
      [...written].flatMap(([aggregate, ids]) => ids.map((id) => [id, aggregate] as const)),
    );
    const published = new Map(aggregates.map((id) => [id, [] as string[]]));
    for (const eventId of recording.publishedIds())
      published.get(aggregateOf.get(eventId)!)!.push(eventId);
    expect(published).toEqual(written);
    expect(recording.calls.length).toBeGreaterThanOrEqual(72 / 4);
  });

  it('keeps publishing the other lanes’ rows while one lane’s calls fail, and catches up after', async () => {
    const lanes = 2;
    const [failing, healthy] = (await aggregatesCovering(lanes, 1)).map((ids) => ids[0]!);
    let refuse = true;
    const recording = createOverlapRecordingTransport({
      failWhen: (messages) => refuse && messages.some((m) => m.aggregateId === failing),
    });
    await startRelay(recording.transport, lanes);
    const failingIds = [await writeOne(failing!), await writeOne(failing!)];
    const healthyIds: string[] = [];
    for (let i = 0; i < 10; i += 1) healthyIds.push(await writeOne(healthy!));

    await eventually(
      () =>
        healthyIds.every((id) => recording.publishedIds().includes(id)) && recording.refused >= 2,
      {
        what: 'the healthy lane to publish all its rows while the other is refused again and again',
      },
    );
    expect(await unpublishedCount()).toBe(2);
    refuse = false;
    await eventually(async () => (await unpublishedCount()) === 0, {
      what: 'the failed lane to catch up',
    });
    expect(recording.publishedIds().filter((id) => failingIds.includes(id))).toEqual(failingIds);
  });

  it('stops every lane on stop(), each after the call it has in flight', async () => {
    const lanes = 3;
    for (const ids of await aggregatesCovering(lanes, 1)) await writeOne(ids[0]!);
    // The gate never opens by itself (4 > 3 lanes): every lane is held in its call.
    const recording = createOverlapRecordingTransport({ holdUntilInFlight: lanes + 1 });
    const relay = await startRelay(recording.transport, lanes);
    await eventually(() => recording.inFlight === lanes, {
      what: 'a call in flight in every lane',
    });

    let stopped = false;
    const stopping = relay.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    recording.openGate();
    await stopping;
    relays = [];
    expect(recording.inFlight).toBe(0);
    expect(recording.calls).toHaveLength(lanes);

    // Rows written after stop() stay put: every lane's loop has ended, whatever wakes it.
    for (const ids of await aggregatesCovering(lanes, 1)) await writeOne(ids[0]!);
    await database.client`SELECT pg_notify('outbox_inserted', ${APP_IDS.taskApi})`;
    const probe = createOverlapRecordingTransport();
    await startRelay(probe.transport, 1, 100);
    await eventually(async () => (await unpublishedCount()) === 0, {
      what: 'a new relay to publish them',
    });
    expect(probe.calls.flat()).toHaveLength(lanes);
    expect(recording.calls).toHaveLength(lanes);
  });
});
