import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('platform routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves an OpenAPI 3.1 document covering every route', async () => {
    const res = await request(t.app).get('/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/register',
        '/api/auth/login',
        '/api/auth/me',
        '/api/tasks',
        '/api/tasks/{id}',
        '/api/tasks/{id}/complete',
        '/api/tasks/{id}/reopen',
        '/api/tasks/{id}/toggle',
      ]),
    );
    const create = res.body.components.schemas.CreateTaskRequest;
    expect(create.additionalProperties).toBe(false);
    expect(create.required).toEqual(['title']);
    expect(Object.keys(create.properties)).not.toContain('parent_task_id');
  });

  it('documents 429 with Retry-After on every rate-limited operation, and only there', async () => {
    const { paths } = (await request(t.app).get('/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: Record<string, { headers?: object }> }>>;
    };
    const limited = Object.entries(paths)
      .flatMap(([path, operations]) =>
        Object.entries(operations)
          .filter(([, op]) => op.responses['429'])
          .map(([method, op]) => {
            expect(op.responses['429']!.headers).toHaveProperty('Retry-After');
            return `${method.toUpperCase()} ${path}`;
          }),
      )
      .sort();
    expect(limited).toEqual([
      'DELETE /api/auth/me',
      'DELETE /api/tasks/{id}',
      'GET /api/recurrence/preview',
      'GET /api/tasks/stream',
      'PATCH /api/tasks/{id}',
      'PATCH /api/tasks/{id}/toggle',
      'POST /api/auth/login',
      'POST /api/auth/logout',
      'POST /api/auth/password',
      'POST /api/auth/refresh',
      'POST /api/auth/register',
      'POST /api/tasks',
      'POST /api/tasks/{id}/complete',
      'POST /api/tasks/{id}/reopen',
      'PUT /api/tasks/{id}',
    ]);
  });

  it('serves the docs page', async () => {
    const res = await request(t.app).get('/docs/').expect(200);
    expect(res.text).toContain('swagger-ui');
  });

  it('answers /livez and /readyz', async () => {
    await request(t.app).get('/livez').expect(200);
    expect((await request(t.app).get('/readyz').expect(200)).body.status).toBe('ready');
  });

  it('allows the configured frontend origin only', async () => {
    const allowed = await request(t.app)
      .options('/api/tasks')
      .set('Origin', 'http://localhost:3000')
      .set('Access-Control-Request-Method', 'POST');
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    const denied = await request(t.app)
      .options('/api/tasks')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sets security headers and a request id', async () => {
    const res = await request(t.app).get('/api/tasks');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await request(t.app).get('/api/nothing-here').expect(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('readiness without a database', () => {
  it('answers 503 when the database is unreachable while /livez stays 200', async () => {
    const t = await createTestApp();
    await t.close();
    await request(t.app).get('/livez').expect(200);
    expect((await request(t.app).get('/readyz')).status).toBe(503);
  });
});
