import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { APP_IDS, EVENT_SOURCES, TASK_EVENT_TYPES } from '@todo/contracts';
import { appendToOutbox } from '@todo/db';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { createCapturingLogger, eventually } from '@todo/service-runtime/testing';
import {
  RELAY_TRANSPORT_CHANNEL,
  startRelayFromEnv,
  type EventTransport,
  type OutboxMessage,
} from '../src/index.js';
import { startSubscriberFake } from './subscriber-fake.js';

describe('startRelayFromEnv', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('offers its transport on the diagnostics channel, and publishes through what a subscriber puts in its place', async () => {
    const subscriber = await startSubscriberFake();
    const seen: string[] = [];
    const wrap = (message: unknown) => {
      const offer = message as { transport: EventTransport };
      const inner = offer.transport;
      offer.transport = {
        description: `recording ${inner.description}`,
        publish: (messages: OutboxMessage[]) => {
          seen.push(...messages.map((m) => m.eventId));
          return inner.publish(messages);
        },
      };
    };
    subscribe(RELAY_TRANSPORT_CHANNEL, wrap);
    const shutdown = startRelayFromEnv({
      env: {
        EVENT_TRANSPORT: 'direct',
        DAPR_HOST: '127.0.0.1',
        DIRECT_ENGINE_URL: subscriber.url,
        OUTBOX_BATCH_SIZE: 10,
        OUTBOX_PUBLISHERS: 2,
        OUTBOX_POLL_INTERVAL_MS: 100,
        OUTBOX_MAX_RETRY_DELAY_MS: 200,
      },
      database,
      producer: APP_IDS.taskApi,
      source: EVENT_SOURCES.taskApi,
      logger: createCapturingLogger('start-relay-test').logger,
    });
    unsubscribe(RELAY_TRANSPORT_CHANNEL, wrap);
    try {
      const seriesId = randomUUID();
      const [eventId] = await database.db.transaction((tx) =>
        appendToOutbox(tx, [
          {
            producer: APP_IDS.taskApi,
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
          },
        ]),
      );
      await eventually(() => subscriber.received.length === 1, { what: 'the delivery' });
      expect(seen).toEqual([eventId]);
      expect(subscriber.received[0]!.body.id).toBe(eventId);
    } finally {
      for (const step of shutdown) await step.run();
      await subscriber.close();
    }
  });
});
