import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { APP_IDS, EVENT_SOURCES, TASK_EVENT_TYPES } from '@todo/contracts';
import { appendToOutbox } from '@todo/db';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { SpanKind, startTracing } from '@todo/telemetry';
import { createDirectTransport, publishBatch } from '../src/index.js';
import { traceTransport } from '../src/outbox-tracing.js';
import { startSubscriberFake } from './subscriber-fake.js';

const exporter = new InMemorySpanExporter();
const tracing = startTracing({ serviceName: 'task-api', exporter })!;
const WRITER = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('the relay’s publish span', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
    await tracing.shutdown();
  });

  it('continues the trace the row kept and publishes its own context, so the consumer continues under it', async () => {
    const subscriber = await startSubscriberFake();
    try {
      const seriesId = randomUUID();
      const [eventId] = await database.db.transaction((tx) =>
        appendToOutbox(tx, [
          {
            producer: APP_IDS.taskApi,
            aggregateId: seriesId,
            traceparent: WRITER,
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
      const transport = traceTransport(
        createDirectTransport({ engineUrl: subscriber.url, source: EVENT_SOURCES.taskApi }),
      );
      await publishBatch(
        database.db,
        { producer: APP_IDS.taskApi, batchSize: 10, maxRetryDelayMs: 1000 },
        (messages) => transport.publish(messages),
      );

      const [span, ...others] = exporter.getFinishedSpans();
      expect(others).toHaveLength(0);
      expect(span!.name).toBe('publish task-events');
      expect(span!.kind).toBe(SpanKind.PRODUCER);
      expect(span!.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(span!.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
      expect(span!.attributes).toMatchObject({
        'messaging.system': 'kafka',
        'messaging.destination.name': 'task-events',
        'messaging.message.id': eventId,
      });
      const published = `00-4bf92f3577b34da6a3ce929d0e0e4736-${span!.spanContext().spanId}-01`;
      const [delivery] = subscriber.received;
      expect(delivery!.headers.traceparent).toBe(published);
      expect(delivery!.body.traceparent).toBe(published);
    } finally {
      await subscriber.close();
    }
  });
});
