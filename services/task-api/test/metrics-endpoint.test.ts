import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { serveThenTerminate } from '@todo/service-runtime/testing';

/** A port nothing listens on right now, for the metrics port of the process under test. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** The sample of one series in Prometheus's text format (exact name and labels), or undefined. */
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

/** task-api's entry point as a process, scraped on its own metrics port. */
describe('task-api metrics port', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('serves the request histogram, the outbox, pool use and Node runtime on METRICS_PORT', async () => {
    const metricsPort = await freePort();
    const id = '0b4e2c0e-4a7a-4e8c-9d57-3c1f4b0a5f10';
    const scrape = async () => {
      const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(response.status).toBe(200);
      return response.text();
    };
    const run = await serveThenTerminate({
      name: 'task-api',
      cwd: process.cwd(),
      env: {
        DATABASE_URL: database.url,
        JWT_SECRET: 'process-test-secret-that-is-long-enough-0123',
        NODE_ENV: 'production',
        METRICS_PORT: String(metricsPort),
        DATABASE_POOL_MAX: '7',
        STREAM_MAX_OPEN: '17',
      },
      whileServing: async (port) => {
        expect((await fetch(`http://127.0.0.1:${port}/api/tasks/${id}`)).status).toBe(401);
        expect((await fetch(`http://127.0.0.1:${port}/api/tasks/${id}`)).status).toBe(401);
        // Not served on the API's port: the Ingress routes that one.
        expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
        return scrape();
      },
    });
    expect(run.exitCode).toBe(0);
    const text = run.probed!;
    expect(
      sample(
        text,
        'http_server_request_duration_seconds_count{http_request_method="GET",http_route="/api/tasks/{id}",http_response_status_code="401"}',
      ),
    ).toBe(2);
    expect(
      sample(
        text,
        'http_server_request_duration_seconds_count{http_request_method="GET",http_route="unmatched",http_response_status_code="404"}',
      ),
    ).toBe(1);
    expect(text).not.toContain(id);
    expect(sample(text, 'outbox_events_pending{producer="task-api"}')).toBe(0);
    expect(sample(text, 'outbox_oldest_pending_age_seconds{producer="task-api"}')).toBe(0);
    expect(text).toMatch(/^# TYPE outbox_publish_duration_seconds histogram$/m);
    expect(text).toMatch(/^# TYPE outbox_publish_failures_total counter$/m);
    expect(sample(text, 'db_client_connection_max')).toBe(7);
    expect(sample(text, 'live_stream_connection_count')).toBe(0);
    expect(sample(text, 'live_stream_connection_max')).toBe(17);
    expect(text).toMatch(/^db_client_connection_count\{db_client_connection_state="used"\} \d+$/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds [\d.e-]+$/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d+$/m);
    expect(run.output).toContain('serving metrics');
  }, 30_000);
});
