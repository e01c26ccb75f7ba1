/**
 * The Express routes, their 405 answers and the OpenAPI document all come from one route table
 * (src/routes.ts); these tests hold the app to what the document promises, path by path.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { HEALTH_ROUTES } from '@todo/service-runtime';
import { buildOpenApiDocument } from '../src/openapi/openapi-document.js';
import { API_ROUTES, OPENAPI_ROUTES } from '../src/routes.js';
import { createTestApp, registerUser, type TestApp } from './support/test-app.js';

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const document = buildOpenApiDocument() as unknown as {
  paths: Record<string, Partial<Record<(typeof METHODS)[number], { operationId: string }>>>;
};
const documented = Object.entries(document.paths).map(([path, item]) => ({
  path,
  methods: METHODS.filter((method) => item[method]),
}));
/** A concrete URL for a documented path: any well-formed id will do. */
const urlOf = (path: string) => path.replace('{id}', '00000000-0000-4000-8000-000000000000');

describe('the route table', () => {
  let t: TestApp;
  let auth: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp();
    auth = (await registerUser(t.app)).auth;
  });
  afterAll(async () => {
    await t.close();
  });

  it('is the whole document: one operation per route, under the route’s own id', () => {
    const table = [...API_ROUTES, ...HEALTH_ROUTES, ...OPENAPI_ROUTES];
    const operations = documented.flatMap(({ path, methods }) =>
      methods.map((method) => `${method} ${path} ${document.paths[path]![method]!.operationId}`),
    );
    expect(operations.sort()).toEqual(
      table.map((route) => `${route.method} ${route.path} ${route.operationId}`).sort(),
    );
  });

  it('serves every documented operation (no 404 "no route", no 405)', async () => {
    for (const { path, methods } of documented) {
      for (const method of methods) {
        const res = await request(t.app)[method](urlOf(path)).set(auth);
        const where = `${method.toUpperCase()} ${path} → ${res.status}`;
        expect([where, res.status === 405]).toEqual([where, false]);
        expect([where, String(res.body?.error?.message).startsWith('no route')]).toEqual([
          where,
          false,
        ]);
      }
    }
  });

  it('answers every other method on a documented path 405 with the path’s Allow', async () => {
    // The operations above include logout, which ended the first session.
    const { auth } = await registerUser(t.app);
    for (const { path, methods } of documented) {
      const allowed = methods.map((m) => m.toUpperCase());
      const expected = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : []), 'OPTIONS'];
      for (const method of METHODS.filter((m) => !methods.includes(m))) {
        const res = await request(t.app)[method](urlOf(path)).set(auth);
        const where = `${method.toUpperCase()} ${path}`;
        expect([where, res.status, res.body.error?.code]).toEqual([
          where,
          405,
          'method_not_allowed',
        ]);
        expect([where, res.headers.allow?.split(', ').sort()]).toEqual([where, expected.sort()]);
      }
    }
  });

  it('asks for a token before answering 405 on paths only callers with one use', async () => {
    expect((await request(t.app).delete('/api/tasks')).status).toBe(401);
    expect((await request(t.app).post('/api/recurrence/preview')).status).toBe(401);
    expect((await request(t.app).get('/api/auth/login')).status).toBe(405);
  });
});
