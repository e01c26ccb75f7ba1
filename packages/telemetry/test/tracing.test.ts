import { afterAll, describe, expect, it } from '@jest/globals';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import express from 'express';
import request from 'supertest';
import {
  activeTraceparent,
  httpServerTracing,
  loadTracingSdk,
  startTracing,
  tracingRequested,
} from '../src/index.js';

const exporter = new InMemorySpanExporter();
await loadTracingSdk();
const tracing = startTracing({ serviceName: 'test-service', exporter })!;
afterAll(() => tracing.shutdown());

const app = express();
app.use(httpServerTracing());
app.get('/api/items/:id', async (_req, res) => {
  await new Promise((resolve) => setImmediate(resolve));
  // What an outbox row written here would keep.
  res.json({ traceparent: activeTraceparent() });
});

const CALLER = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('httpServerTracing', () => {
  it('continues the caller’s trace in a SERVER span named by the route template, active in the handler', async () => {
    exporter.reset();
    const res = await request(app).get('/api/items/42').set('traceparent', CALLER).expect(200);
    const [span, ...others] = exporter.getFinishedSpans();
    expect(others).toHaveLength(0);
    expect(span!.name).toBe('GET /api/items/{id}');
    expect(span!.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(span!.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(span!.attributes).toMatchObject({
      'http.route': '/api/items/{id}',
      'http.response.status_code': 200,
    });
    expect(span!.resource.attributes['service.name']).toBe('test-service');
    // The handler saw the server span as active, not the caller's.
    expect(res.body.traceparent).toBe(
      `00-4bf92f3577b34da6a3ce929d0e0e4736-${span!.spanContext().spanId}-01`,
    );
  });

  it('starts a new trace without a caller, and names unmatched requests without their path', async () => {
    exporter.reset();
    await request(app).get('/nowhere/secret-id').expect(404);
    const [span] = exporter.getFinishedSpans();
    expect(span!.name).toBe('GET unmatched');
    expect(span!.parentSpanContext).toBeUndefined();
  });
});

describe('tracingRequested', () => {
  it('is off unless OpenTelemetry’s variables ask for traces', () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(
      tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' }),
    ).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
    expect(
      tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }),
    ).toBe(false);
    expect(
      tracingRequested({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_TRACES_EXPORTER: 'none',
      }),
    ).toBe(false);
  });

  it('refuses a protocol it cannot speak', () => {
    expect(() =>
      startTracing({
        serviceName: 'x',
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      }),
    ).toThrow('OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported');
  });
});
