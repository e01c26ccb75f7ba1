import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http, { type IncomingHttpHeaders, type Server } from 'node:http';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { context, loadTracingSdk, SpanKind, startTracing, trace, tracer } from '../src/index.js';

const exporter = new InMemorySpanExporter();
await loadTracingSdk();
const tracing = startTracing({ serviceName: 'test-service', exporter })!;

let server: Server;
let port = 0;
const received: IncomingHttpHeaders[] = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    received.push(req.headers);
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** A POST the way a library makes one: `node:http`'s request, no headers of ours. */
const post = () =>
  new Promise<void>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: '/publish' },
      (res) => {
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', reject);
    req.end('{}');
  });

describe('outgoing node:http requests, traced', () => {
  it('carry the active span’s trace in `traceparent`, through a CLIENT span under it', async () => {
    exporter.reset();
    received.length = 0;
    const parent = tracer().startSpan('publish task-events', { kind: SpanKind.PRODUCER });
    await context.with(trace.setSpan(context.active(), parent), post);
    parent.end();
    const client = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.CLIENT);
    expect(client).toBeDefined();
    expect(client!.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(received[0]!.traceparent).toBe(
      `00-${parent.spanContext().traceId}-${client!.spanContext().spanId}-01`,
    );
  });

  it('outside any span: no header and no trace of their own', async () => {
    exporter.reset();
    received.length = 0;
    await post();
    expect(received[0]!.traceparent).toBeUndefined();
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });

  it('are left to node:http again once tracing shuts down', async () => {
    expect((http.request as { __wrapped?: boolean }).__wrapped).toBe(true);
    await tracing.shutdown();
    expect((http.request as { __wrapped?: boolean }).__wrapped).toBeUndefined();
    expect((http.get as { __wrapped?: boolean }).__wrapped).toBeUndefined();
  });
});
