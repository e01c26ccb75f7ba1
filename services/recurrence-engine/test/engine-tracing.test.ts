import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { RECURRENCE_ENGINE_EVENTS_ROUTE, TASK_EVENT_TYPES } from '@todo/contracts';
import { loadTracingSdk, SpanKind, startTracing } from '@todo/telemetry';
import request from 'supertest';
import { APP_TOKEN, createEngineTestApp, type EngineTestApp } from './support/engine-app.js';
import {
  childrenOf,
  completedEnvelope,
  insertCompletedTask,
  insertUser,
} from './support/fixtures.js';

const exporter = new InMemorySpanExporter();
await loadTracingSdk();
const tracing = startTracing({ serviceName: 'recurrence-engine', exporter })!;
/** The trace the completion's CloudEvent carries (fixtures.ts). */
const PRODUCER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
/** The span that delivered the event, in its trace (daprd's, or the relay's publish span). */
const DELIVERER = `00-${PRODUCER_TRACE}-b7ad6b7169203331-01`;

describe('the engine’s spans', () => {
  let t: EngineTestApp;
  let userId: string;
  beforeAll(async () => {
    t = await createEngineTestApp();
    userId = await insertUser(t.database);
  });
  afterAll(async () => {
    await t.close();
    await tracing.shutdown();
  });
  beforeEach(() => exporter.reset());

  const deliver = (body: unknown, traceparent?: string) => {
    const req = request(t.app)
      .post(RECURRENCE_ENGINE_EVENTS_ROUTE)
      .set('dapr-api-token', APP_TOKEN)
      .set('content-type', 'application/cloudevents+json');
    if (traceparent) void req.set('traceparent', traceparent);
    return req.send(JSON.stringify(body));
  };
  const spansNamed = () => new Map(exporter.getFinishedSpans().map((span) => [span.name, span]));
  const childEventTraceparent = async (seriesId: string) => {
    const [row] = await t.database.client<{ traceparent: string | null }[]>`
      SELECT traceparent FROM outbox WHERE aggregate_id = ${seriesId} AND type = ${TASK_EVENT_TYPES.created}`;
    return row?.traceparent;
  };

  it('continues the deliverer’s trace: request → process task-events → commit next occurrence, whose context the child’s event carries', async () => {
    const parent = await insertCompletedTask(t.database, userId);
    await deliver(completedEnvelope(parent), DELIVERER).expect(200, { status: 'SUCCESS' });
    expect(await childrenOf(t.database, parent.id)).toHaveLength(1);

    const spans = spansNamed();
    const server = spans.get(`POST ${RECURRENCE_ENGINE_EVENTS_ROUTE}`)!;
    const consumer = spans.get('process task-events')!;
    const commit = spans.get('commit next occurrence')!;
    expect(server.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(consumer.kind).toBe(SpanKind.CONSUMER);
    expect(consumer.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect(consumer.attributes).toMatchObject({
      'messaging.destination.name': 'task-events',
      'todo.delivery.outcome': 'child_created',
    });
    expect(commit.parentSpanContext?.spanId).toBe(consumer.spanContext().spanId);
    for (const span of [server, consumer, commit]) {
      expect(span.spanContext().traceId).toBe(PRODUCER_TRACE);
    }
    expect(await childEventTraceparent(parent.id)).toBe(
      `00-${PRODUCER_TRACE}-${commit.spanContext().spanId}-01`,
    );
  });

  it('continues the CloudEvent’s traceparent when the delivery carried none (the request’s span is a trace of its own)', async () => {
    const parent = await insertCompletedTask(t.database, userId);
    await deliver(completedEnvelope(parent)).expect(200, { status: 'SUCCESS' });
    const spans = spansNamed();
    const consumer = spans.get('process task-events')!;
    const commit = spans.get('commit next occurrence')!;
    expect(consumer.spanContext().traceId).toBe(PRODUCER_TRACE);
    expect(consumer.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(await childEventTraceparent(parent.id)).toBe(
      `00-${PRODUCER_TRACE}-${commit.spanContext().spanId}-01`,
    );
  });
});
