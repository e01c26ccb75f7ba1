import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { z } from 'zod';
import { createMetricsRegistry } from '@todo/telemetry';
import { createServiceApp, jsonResponse, mountRoutes, routeFor } from '../src/index.js';
import { createCapturingLogger } from '../src/testing/index.js';

const route = routeFor<Record<string, never>, never>();
const ROUTES = [
  route({
    method: 'get',
    path: '/api/items/{id}',
    operationId: 'getItem',
    summary: 'An item',
    tags: ['items'],
    security: 'public',
    request: { params: z.strictObject({ id: z.uuid() }) },
    responses: { 200: jsonResponse(z.object({ id: z.string() }), 'The item') },
    handler: ({ params }) => ({ id: params.id }),
  }),
];

describe('createServiceApp({ metrics })', () => {
  it('times every request under its route table template, health and 405s included', async () => {
    const registry = createMetricsRegistry();
    const app = createServiceApp({
      logger: createCapturingLogger('test').logger,
      health: { ready: () => Promise.resolve() },
      routes: [mountRoutes(ROUTES, { deps: {} })],
      metrics: registry,
    });
    await request(app).get('/api/items/0b4e2c0e-4a7a-4e8c-9d57-3c1f4b0a5f10').expect(200);
    await request(app).get('/api/items/not-a-uuid').expect(400);
    await request(app).delete('/api/items/0b4e2c0e-4a7a-4e8c-9d57-3c1f4b0a5f10').expect(405);
    await request(app).get('/readyz').expect(200);
    await request(app).get('/elsewhere').expect(404);

    const counts = Object.fromEntries(
      (await registry.getSingleMetric('http_server_request_duration_seconds')!.get()).values
        .filter(
          (v) =>
            (v as { metricName?: string }).metricName ===
            'http_server_request_duration_seconds_count',
        )
        .map((v) => [
          `${v.labels.http_request_method} ${v.labels.http_route} ${v.labels.http_response_status_code}`,
          v.value,
        ]),
    );
    expect(counts).toEqual({
      'GET /api/items/{id} 200': 1,
      'GET /api/items/{id} 400': 1,
      'DELETE /api/items/{id} 405': 1,
      'GET /readyz 200': 1,
      'GET unmatched 404': 1,
    });
  });
});
