import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { APP_IDS, EVENT_SOURCES, TASK_EVENT_TYPES } from '@todo/contracts';
import { appendToOutbox } from '@todo/db';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { loadTracingSdk, SpanKind, startTracing } from '@todo/telemetry';
import {
  createDaprTransport,
  createDirectTransport,
  publishBatch,
  type OutboxMessage,
} from '../src/index.js';
import { traceTransport } from '../src/outbox-tracing.js';
import { startDaprdFake } from './daprd-fake.js';
import { startSubscriberFake } from './subscriber-fake.js';

const exporter = new InMemorySpanExporter();
await loadTracingSdk();
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

  it('through Dapr: a sampled event goes alone, its span active, so the SDK’s request carries its trace to the sidecar; unsampled neighbours go together, in order', async () => {
    const daprd = await startDaprdFake();
    try {
      const sampledTrace = (n: number) => `00-${String(n).repeat(32)}-00f067aa0ba902b7-01`;
      const unsampled = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00';
      const message = (eventId: string, traceparent: string | null): OutboxMessage => ({
        eventId,
        producer: APP_IDS.taskApi,
        aggregateId: 'one-series',
        type: TASK_EVENT_TYPES.deleted,
        payload: { task_id: eventId },
        traceparent,
        createdAt: new Date(),
      });
      const transport = traceTransport(
        createDaprTransport({
          host: '127.0.0.1',
          httpPort: daprd.port,
          source: EVENT_SOURCES.taskApi,
        }),
      );
      exporter.reset();
      const results = await transport.publish([
        message('a', unsampled),
        message('b', sampledTrace(1)),
        message('c', unsampled),
        message('d', unsampled),
        message('e', sampledTrace(2)),
      ]);
      expect(results.map((result) => result.ok && result.eventId)).toEqual([
        'a',
        'b',
        'c',
        'd',
        'e',
      ]);
      // The batch's order across the calls, so one series still leaves in order.
      expect(daprd.requests.map((request) => request.body.map((entry) => entry.entryID))).toEqual([
        ['a'],
        ['b'],
        ['c', 'd'],
        ['e'],
      ]);
      const spans = exporter.getFinishedSpans();
      const publishOf = (eventId: string) =>
        spans.find((span) => span.attributes['messaging.message.id'] === eventId)!;
      // The sidecar's request for a sampled event continues its publish span, through the HTTP
      // client span the instrumentation put under it.
      for (const [request, eventId, traceId] of [
        [daprd.requests[1]!, 'b', '1'.repeat(32)],
        [daprd.requests[3]!, 'e', '2'.repeat(32)],
      ] as const) {
        const client = spans.find(
          (span) =>
            span.kind === SpanKind.CLIENT &&
            span.parentSpanContext?.spanId === publishOf(eventId).spanContext().spanId,
        );
        expect(client).toBeDefined();
        expect(request.headers.traceparent).toBe(
          `00-${traceId}-${client!.spanContext().spanId}-01`,
        );
      }
      expect(daprd.requests[0]!.headers.traceparent).toBeUndefined();
      expect(daprd.requests[2]!.headers.traceparent).toBeUndefined();
    } finally {
      await daprd.close();
    }
  });
});
