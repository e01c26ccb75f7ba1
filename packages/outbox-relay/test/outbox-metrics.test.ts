import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { APP_IDS, EVENT_SOURCES, TASK_EVENT_TYPES } from '@todo/contracts';
import { appendToOutbox, outbox } from '@todo/db';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { createMetricsRegistry, type Registry } from '@todo/telemetry';
import { sql } from 'drizzle-orm';
import {
  createDirectTransport,
  instrumentTransport,
  OUTBOX_DEPTH_COUNT_CAP,
  publishBatch,
  registerOutboxDepth,
} from '../src/index.js';
import { startSubscriberFake } from './subscriber-fake.js';

const value = async (registry: Registry, name: string) => {
  const values = (await registry.getSingleMetric(name)!.get()).values;
  return values.length === 0 ? undefined : values.reduce((sum, v) => sum + v.value, 0);
};

async function writeEvents(database: TestDatabase, count: number, producer: string) {
  const seriesId = randomUUID();
  await database.db.transaction((tx) =>
    appendToOutbox(
      tx,
      Array.from({ length: count }, () => ({
        producer,
        aggregateId: seriesId,
        traceparent: undefined,
        event: {
          type: TASK_EVENT_TYPES.deleted,
          data: {
            task_id: randomUUID(),
            user_id: randomUUID(),
            series_id: seriesId,
            deleted_at: new Date().toISOString(),
          },
        },
      })),
    ),
  );
}

describe('outbox metrics', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());
  beforeEach(async () => {
    await database.db.delete(outbox);
  });

  it('reads the producer’s pending rows and the age of the oldest when scraped', async () => {
    const registry = createMetricsRegistry();
    registerOutboxDepth(registry, { db: database.db, producer: APP_IDS.taskApi });
    expect(await value(registry, 'outbox_events_pending')).toBe(0);
    expect(await value(registry, 'outbox_oldest_pending_age_seconds')).toBe(0);

    await writeEvents(database, 3, APP_IDS.taskApi);
    await writeEvents(database, 2, APP_IDS.recurrenceEngine);
    await database.db.update(outbox).set({ createdAt: sql`now() - interval '90 seconds'` });
    expect(await value(registry, 'outbox_events_pending')).toBe(3);
    const age = await value(registry, 'outbox_oldest_pending_age_seconds');
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(120);

    await database.db.update(outbox).set({ publishedAt: sql`now()` });
    expect(await value(registry, 'outbox_events_pending')).toBe(0);
    expect(await value(registry, 'outbox_oldest_pending_age_seconds')).toBe(0);
    expect(OUTBOX_DEPTH_COUNT_CAP).toBe(10_000);
  });

  it('leaves the gauges without a sample while the database does not answer', async () => {
    const { createDatabase } = await import('@todo/db');
    const down = createDatabase('postgres://nobody:nothing@127.0.0.1:1/none', {
      max: 1,
      connectTimeoutSeconds: 1,
    });
    const registry = createMetricsRegistry();
    registerOutboxDepth(registry, { db: down.db, producer: APP_IDS.taskApi });
    const text = await registry.metrics();
    expect(text).toMatch(/^# TYPE outbox_events_pending gauge$/m);
    expect(text).not.toMatch(/^outbox_events_pending\{/m);
    await down.close();
  });

  it('times each publish and counts the rows confirmed and refused', async () => {
    const subscriber = await startSubscriberFake();
    try {
      const registry = createMetricsRegistry();
      const transport = instrumentTransport(
        createDirectTransport({ engineUrl: subscriber.url, source: EVENT_SOURCES.taskApi }),
        registry,
      );
      const publish = () =>
        publishBatch(
          database.db,
          { producer: APP_IDS.taskApi, batchSize: 10, maxRetryDelayMs: 1000 },
          (messages) => transport.publish(messages),
        );
      await writeEvents(database, 2, APP_IDS.taskApi);
      expect(await publish()).toMatchObject({ published: 2, failed: 0 });
      subscriber.answerWith(500);
      await writeEvents(database, 3, APP_IDS.taskApi);
      expect(await publish()).toMatchObject({ published: 0, failed: 3 });

      expect(await value(registry, 'outbox_events_published_total')).toBe(2);
      expect(await value(registry, 'outbox_publish_failures_total')).toBe(3);
      const text = await registry.metrics();
      expect(text).toMatch(/^outbox_publish_duration_seconds_count 2$/m);
    } finally {
      await subscriber.close();
    }
  });
});
