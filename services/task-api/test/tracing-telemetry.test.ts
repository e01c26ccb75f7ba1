import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TASK_EVENT_TYPES } from '@todo/contracts';
import { createServer } from 'node:http';
import { AppError } from '@todo/service-runtime';
import { createCapturingLogger, recordSpans } from '@todo/service-runtime/testing';
import { activeTraceparent } from '@todo/telemetry';
import { withStreamListener } from '../src/stream/stream-listener.js';
import request from 'supertest';
import { outboxRows } from './support/outbox.js';
import { createTestApp, registerUser, type TestApp } from './support/test-app.js';

const tracing = await recordSpans('task-api');
const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER = `00-${CALLER_TRACE}-00f067aa0ba902b7-01`;

/** With tracing on, the events a request writes continue the request's own span. */
describe('task-api traces', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
    await tracing.shutdown();
  });

  it('keeps the completion’s own span (not the caller’s) on its outbox row, in the caller’s trace', async () => {
    const { auth } = await registerUser(t.app);
    const id = (
      await request(t.app)
        .post('/api/tasks')
        .set(auth)
        .send({
          title: 'Water the plants',
          due_date: '2030-04-01T09:00:00Z',
          recurring_type: 'weekly',
        })
        .expect(201)
    ).body.id as string;
    tracing.reset();
    await request(t.app)
      .post(`/api/tasks/${id}/complete`)
      .set(auth)
      .set('traceparent', CALLER)
      .expect(200);

    const server = tracing.spans().find((span) => span.name === 'POST /api/tasks/{id}/complete')!;
    expect(server.spanContext().traceId).toBe(CALLER_TRACE);
    expect(server.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(server.attributes['http.response.status_code']).toBe(200);
    const completed = (await outboxRows(t.database, id)).find(
      (row) => row.type === TASK_EVENT_TYPES.completed,
    );
    expect(completed!.traceparent).toBe(`00-${CALLER_TRACE}-${server.spanContext().spanId}-01`);
  });

  it('gives the live stream’s requests, served outside Express, the route’s SERVER span in the caller’s trace', async () => {
    tracing.reset();
    // Refused for want of a token: the span is whole once the answer has been sent.
    for (const path of ['/api/tasks/stream', '/api/tasks/stream/']) {
      await request(t.app).get(path).set('traceparent', CALLER).expect(401);
    }
    const spans = tracing.spans().filter((span) => span.name === 'GET /api/tasks/stream');
    expect(spans).toHaveLength(2);
    for (const span of spans) {
      expect(span.spanContext().traceId).toBe(CALLER_TRACE);
      expect(span.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
      expect(span.attributes).toMatchObject({
        'http.route': '/api/tasks/stream',
        'http.request.method': 'GET',
        'http.response.status_code': 401,
        'url.scheme': 'http',
      });
    }
  });

  it('runs a stream request’s authentication inside its SERVER span', async () => {
    tracing.reset();
    let during: string | undefined;
    const listener = withStreamListener((_req, res) => res.end(), {
      streams: undefined,
      authenticate: async () => {
        during = activeTraceparent();
        throw new AppError('unauthenticated', 'stop here');
      },
      logger: createCapturingLogger('task-api', 'info').logger,
      headers: [],
      trustProxyHops: 0,
    });
    await request(createServer(listener)).get('/api/tasks/stream').expect(401);
    const span = tracing.spans().find((s) => s.name === 'GET /api/tasks/stream')!;
    expect(during).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
  });
});
