import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import request from 'supertest';
import {
  createMetricsRegistry,
  httpServerMetrics,
  serveMetrics,
  UNMATCHED_ROUTE,
  type MetricsServer,
} from '../src/index.js';

const registry = createMetricsRegistry();
const app = express();
app.use(httpServerMetrics(registry));
app.get('/api/items/:id', (_req, res) => void res.json({ ok: true }));
app.post('/api/items', (_req, res) => void res.status(201).json({ ok: true }));
const router = express.Router();
router.get('/things/:thingId/parts/:partId', (_req, res) => void res.status(204).end());
app.use('/nested', router);

let metrics: MetricsServer;
let base: string;

beforeAll(async () => {
  metrics = serveMetrics(registry, { port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => metrics.server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(metrics.server.address() as AddressInfo).port}`;
});
afterAll(() => metrics.close());

const scrape = async () => {
  const response = await fetch(`${base}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
};
/** The value of one sample line, by its exact name and labels, or undefined. */
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('the metrics port', () => {
  it('serves Node runtime metrics: event loop lag and heap', async () => {
    const text = await scrape();
    expect(text).toMatch(/^# TYPE nodejs_eventloop_lag_seconds gauge$/m);
    expect(text).toMatch(/^# TYPE nodejs_heap_size_used_bytes gauge$/m);
    expect(text).toMatch(/^# TYPE process_cpu_seconds_total counter$/m);
  });

  it('answers 404 beside /metrics and 405 for other methods', async () => {
    expect((await fetch(`${base}/`)).status).toBe(404);
    const post = await fetch(`${base}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('http_server_request_duration_seconds', () => {
  it('counts each request by method, route template and status, never the raw path', async () => {
    await request(app).get('/api/items/42').expect(200);
    await request(app).get('/api/items/43').expect(200);
    await request(app).post('/api/items').expect(201);
    await request(app).get('/nested/things/a/parts/b').expect(204);
    await request(app).get('/no/such/path').expect(404);
    await request(app).get('/no/such/other/path').expect(404);

    const text = await scrape();
    const count = (labels: string) =>
      sample(text, `http_server_request_duration_seconds_count{${labels}}`);
    expect(
      count(
        'http_request_method="GET",http_route="/api/items/{id}",http_response_status_code="200"',
      ),
    ).toBe(2);
    expect(
      count('http_request_method="POST",http_route="/api/items",http_response_status_code="201"'),
    ).toBe(1);
    expect(
      count(
        'http_request_method="GET",http_route="/nested/things/{thingId}/parts/{partId}",http_response_status_code="204"',
      ),
    ).toBe(1);
    expect(
      count(
        `http_request_method="GET",http_route="${UNMATCHED_ROUTE}",http_response_status_code="404"`,
      ),
    ).toBe(2);
    expect(text).not.toContain('/api/items/42');
    expect(text).not.toContain('/no/such');
    expect(text).toMatch(/^# TYPE http_server_request_duration_seconds histogram$/m);
  });

  it('folds methods outside HTTP’s own into _OTHER', async () => {
    await request(app).search('/api/items/1').expect(404);
    const text = await scrape();
    expect(text).toContain('http_request_method="_OTHER"');
    expect(text).not.toContain('http_request_method="SEARCH"');
  });
});

describe('serveMetrics on a taken port', () => {
  it('reports the failure and leaves the caller running', async () => {
    const port = (metrics.server.address() as AddressInfo).port;
    const errors: Error[] = [];
    const second = serveMetrics(registry, {
      port,
      host: '127.0.0.1',
      onError: (error) => errors.push(error),
    });
    await new Promise<void>((resolve) => second.server.once('error', () => resolve()));
    expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).toEqual(['EADDRINUSE']);
    expect(second.port()).toBeUndefined();
    await second.close();
  });
});
