import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { APP_IDS, DAPR_STATUS, EVENT_SOURCES, TASK_EVENT_TYPES } from '@todo/contracts';
import { appendToOutbox, outbox, PRUNING_LOCK_NAMESPACE, pruningLockKey } from '@todo/db';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { createCapturingLogger, eventually } from '@todo/service-runtime/testing';
import { inArray, sql } from 'drizzle-orm';
import {
  createDirectTransport,
  createOutboxRelay,
  outboxRetentionEnvFields,
  pruneOutboxBatch,
  startOutboxPruner,
  type OutboxRelay,
} from '../src/index.js';
import { startSubscriberFake } from './subscriber-fake.js';
import { z } from 'zod';

const WEEK = 7 * 86_400;

function entries(count: number, producer: string) {
  const seriesId = randomUUID();
  return Array.from({ length: count }, () => ({
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
  }));
}

describe('outbox retention', () => {
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

  const write = (count: number, producer: string = APP_IDS.taskApi) =>
    database.db.transaction((tx) => appendToOutbox(tx, entries(count, producer)));
  /** Marks rows published `ageSeconds` ago, as the relay would have then. */
  const publishedAgo = (ids: string[], ageSeconds: number) =>
    database.db
      .update(outbox)
      .set({ publishedAt: sql`now() - make_interval(secs => ${ageSeconds})` })
      .where(inArray(outbox.eventId, ids));
  const remainingIds = async () =>
    new Set((await database.db.select({ id: outbox.eventId }).from(outbox)).map((r) => r.id));
  const startRelay = async () => {
    const relay = createOutboxRelay({
      db: database.db,
      listenClient: database.client,
      producer: APP_IDS.taskApi,
      transport: createDirectTransport({
        engineUrl: subscriber.url,
        source: EVENT_SOURCES.taskApi,
      }),
      logger: createCapturingLogger('retention-test').logger,
      pollIntervalMs: 50,
      batchSize: 7,
      maxRetryDelayMs: 100,
    });
    relays.push(relay);
    await relay.start();
  };

  it('deletes only its producer’s rows published before the window, oldest first, a batch at a time', async () => {
    const old = await write(25);
    const recent = await write(5);
    const unpublishedOld = await write(5);
    const otherProducers = await write(5, APP_IDS.recurrenceEngine);
    await publishedAgo(old, WEEK + 60);
    await publishedAgo(recent, WEEK - 60);
    await publishedAgo(otherProducers, WEEK + 60);
    // Written long ago and never published (the broker was down): kept, whatever its age.
    await database.db
      .update(outbox)
      .set({ createdAt: sql`now() - interval '30 days'` })
      .where(inArray(outbox.eventId, unpublishedOld));

    const retention = { producer: APP_IDS.taskApi, retentionSeconds: WEEK };
    await expect(pruneOutboxBatch(database.db, retention, 10)).resolves.toBe(10);
    await expect(pruneOutboxBatch(database.db, retention, 10)).resolves.toBe(10);
    await expect(pruneOutboxBatch(database.db, retention, 10)).resolves.toBe(5);
    await expect(pruneOutboxBatch(database.db, retention, 10)).resolves.toBe(0);

    const left = await remainingIds();
    expect(old.filter((id) => left.has(id))).toEqual([]);
    expect([...recent, ...unpublishedOld, ...otherProducers].every((id) => left.has(id))).toBe(
      true,
    );
    expect(left.size).toBe(15);
  });

  it('skips the round while another replica of the same service prunes', async () => {
    const old = await write(3);
    await publishedAgo(old, WEEK + 60);
    const retention = { producer: APP_IDS.taskApi, retentionSeconds: WEEK };
    const held = database.client.reserve();
    const other = await held;
    try {
      await other`BEGIN`;
      await other`SELECT pg_advisory_xact_lock(${PRUNING_LOCK_NAMESPACE}::int, ${pruningLockKey(`outbox:${APP_IDS.taskApi}`)}::int)`;
      await expect(pruneOutboxBatch(database.db, retention, 10)).resolves.toBeNull();
      // The engine's relay prunes its own rows under its own lock, unaffected.
      await expect(
        pruneOutboxBatch(
          database.db,
          { producer: APP_IDS.recurrenceEngine, retentionSeconds: WEEK },
          10,
        ),
      ).resolves.toBe(0);
      await other`COMMIT`;
    } finally {
      other.release();
    }
    expect((await remainingIds()).size).toBe(3);
    await expect(pruneOutboxBatch(database.db, retention, 10)).resolves.toBe(3);
  });

  it('prunes while relays publish: every event is delivered exactly once, and only published rows go', async () => {
    await Promise.all([startRelay(), startRelay()]);
    // Two replicas' pruners with no window at all: a row may go the moment it is published.
    const env = {
      OUTBOX_RETENTION_SECONDS: 0,
      OUTBOX_PRUNE_INTERVAL_SECONDS: 0.01,
      OUTBOX_PRUNE_BATCH_SIZE: 5,
    };
    const { logger, logs } = createCapturingLogger('retention-test');
    const pruners = [1, 2].map(() =>
      startOutboxPruner({ db: database.db, producer: APP_IDS.taskApi, env, logger }),
    );
    try {
      const written: string[] = [];
      for (let wave = 0; wave < 10; wave += 1) written.push(...(await write(20)));
      await eventually(async () => (await remainingIds()).size === 0, {
        timeoutMs: 20_000,
        what: 'every row published and pruned',
      });
      const delivered = subscriber.received.map((d) => d.body.id as string);
      expect(delivered.length).toBe(written.length);
      expect(new Set(delivered)).toEqual(new Set(written));
      expect(logs.some((line) => line.message === 'published outbox rows pruned')).toBe(true);
      expect(logs.filter((line) => line.level === 'warn')).toEqual([]);
    } finally {
      await Promise.all(pruners.map((pruner) => pruner.stop()));
    }
  });

  it('never prunes a row the subscriber keeps refusing, however old', async () => {
    subscriber.answerWith(DAPR_STATUS.retry);
    const refused = await write(4);
    await database.db
      .update(outbox)
      .set({ createdAt: sql`now() - interval '30 days'` })
      .where(inArray(outbox.eventId, refused));
    await startRelay();
    const env = {
      OUTBOX_RETENTION_SECONDS: 0,
      OUTBOX_PRUNE_INTERVAL_SECONDS: 0.01,
      OUTBOX_PRUNE_BATCH_SIZE: 5,
    };
    const pruner = startOutboxPruner({
      db: database.db,
      producer: APP_IDS.taskApi,
      env,
      logger: createCapturingLogger('retention-test').logger,
    });
    try {
      // Each row refused at least twice, with the pruner running all along.
      await eventually(() => subscriber.received.length >= 8, { what: 'refused deliveries' });
      await pruner.runOnce();
      expect(await remainingIds()).toEqual(new Set(refused));
      subscriber.answerWith(DAPR_STATUS.success);
      await eventually(async () => (await remainingIds()).size === 0, {
        what: 'the rows, once accepted, published and pruned',
      });
    } finally {
      await pruner.stop();
    }
  });

  it('validates its environment: a window under an hour is refused, defaults are a week', () => {
    const schema = z.object(outboxRetentionEnvFields);
    expect(schema.parse({})).toEqual({
      OUTBOX_RETENTION_SECONDS: WEEK,
      OUTBOX_PRUNE_INTERVAL_SECONDS: 300,
      OUTBOX_PRUNE_BATCH_SIZE: 1000,
    });
    const refused = schema.safeParse({
      OUTBOX_RETENTION_SECONDS: '60',
      OUTBOX_PRUNE_BATCH_SIZE: '0',
    });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => issue.path[0]).sort()).toEqual([
      'OUTBOX_PRUNE_BATCH_SIZE',
      'OUTBOX_RETENTION_SECONDS',
    ]);
  });
});
