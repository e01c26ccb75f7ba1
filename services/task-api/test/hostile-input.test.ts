import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rawHttpExchange, serveThenTerminate } from '@todo/service-runtime/testing';
import request from 'supertest';
import { createAccessTokens } from '../src/auth/access-tokens.js';
import {
  createTestApp,
  registerUser,
  TEST_TOKEN_CONFIG,
  type TestApp,
} from './support/test-app.js';

/**
 * Requests a hostile or careless client sends. Each must answer a 4xx in the API's error shape,
 * naming the field at fault where there is one; a 5xx here would be a defect. Tests named
 * "issue 10" are regressions for the requests reported there.
 */

type Auth = { Authorization: string };
const fieldsOf = (body: { error: { details?: Array<{ field: string }> } }) =>
  (body.error.details ?? []).map((d) => d.field);

describe('date-times outside 1900-01-01Z..9999-12-31Z (issue 10)', () => {
  let t: TestApp;
  let auth: Auth;
  let id: string;
  beforeAll(async () => {
    t = await createTestApp();
    auth = (await registerUser(t.app)).auth;
    id = (await request(t.app).post('/api/tasks').set(auth).send({ title: 'x' }).expect(201)).body
      .id;
  });
  afterAll(async () => {
    await t.close();
  });

  const OUT_OF_RANGE = [
    '0000-01-01T00:00:00Z',
    // Year 9999 as written, year 10000 in UTC.
    '9999-12-31T23:59:59-12:00',
    '1899-12-31T23:59:59.999Z',
    '1900-01-01T00:00:00+00:01',
  ];

  it.each(OUT_OF_RANGE)('issue 10: due_date %s answers 400 on create, PUT and PATCH', async (d) => {
    const tasksBefore = await t.database.client`SELECT count(*)::int AS n FROM tasks`;
    const responses = [
      await request(t.app).post('/api/tasks').set(auth).send({ title: 'x', due_date: d }),
      await request(t.app).put(`/api/tasks/${id}`).set(auth).send({ title: 'x', due_date: d }),
      await request(t.app).patch(`/api/tasks/${id}`).set(auth).send({ due_date: d }),
    ];
    for (const res of responses) {
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([
        { field: 'due_date', message: expect.stringContaining('1900-01-01T00:00:00Z') },
      ]);
    }
    const tasksAfter = await t.database.client`SELECT count(*)::int AS n FROM tasks`;
    expect(tasksAfter[0]!.n).toBe(tasksBefore[0]!.n);
  });

  it.each(OUT_OF_RANGE)('issue 10: recurring_end_date %s answers 400', async (d) => {
    const res = await request(t.app)
      .post('/api/tasks')
      .set(auth)
      .send({ title: 'x', recurring_type: 'daily', recurring_end_date: d });
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual(['recurring_end_date']);
  });

  it.each(OUT_OF_RANGE.flatMap((d) => [['due_before', d] as const, ['due_after', d] as const]))(
    'issue 10: list filter %s=%s answers 400 naming query.%s',
    async (filter, d) => {
      const res = await request(t.app)
        .get('/api/tasks')
        .query({ [filter]: d })
        .set(auth);
      expect(res.status).toBe(400);
      expect(fieldsOf(res.body)).toEqual([`query.${filter}`]);
    },
  );

  it.each(OUT_OF_RANGE)('issue 10: preview start %s answers 400 naming query.start', async (d) => {
    const res = await request(t.app)
      .get('/api/recurrence/preview')
      .query({ rrule: 'FREQ=DAILY', start: d })
      .set(auth);
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual(['query.start']);
  });

  it.each(['FREQ=DAILY;UNTIL=18991231T235959Z', 'FREQ=DAILY;UNTIL=18991231'])(
    'issue 10: an RRULE with %s answers 400 naming the rule field',
    async (rrule) => {
      const create = await request(t.app)
        .post('/api/tasks')
        .set(auth)
        .send({ title: 'x', due_date: '2026-01-01T09:00:00Z', recurrence: { rrule } });
      expect(create.status).toBe(400);
      expect(fieldsOf(create.body)).toEqual(['recurrence.rrule']);
      const preview = await request(t.app)
        .get('/api/recurrence/preview')
        .query({ rrule, start: '2026-01-01T09:00:00Z' })
        .set(auth);
      expect(preview.status).toBe(400);
      expect(fieldsOf(preview.body)).toEqual(['query.rrule']);
    },
  );

  it('reports a value that is not a date-time once, without a range message', async () => {
    const res = await request(t.app).get('/api/tasks').query({ due_before: 'soon' }).set(auth);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { field: 'query.due_before', message: expect.not.stringContaining('1900') },
    ]);
  });

  it('accepts both ends of the range, in any offset', async () => {
    for (const d of [
      '1900-01-01T00:00:00Z',
      '9999-12-31T23:59:59.999Z',
      '9999-12-31T23:59:59+01:00',
    ]) {
      const res = await request(t.app)
        .post('/api/tasks')
        .set(auth)
        .send({ title: 'x', due_date: d });
      expect(res.status).toBe(201);
      expect(Date.parse(res.body.due_date)).toBe(Date.parse(d));
      const listed = await request(t.app).get('/api/tasks').query({ due_after: d }).set(auth);
      expect(listed.status).toBe(200);
    }
  });
});

describe('malformed requests in front of the routes (issue 10)', () => {
  let t: TestApp;
  let auth: Auth;
  beforeAll(async () => {
    t = await createTestApp();
    auth = (await registerUser(t.app)).auth;
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    ['GET', '/api/tasks/%E0%A4%A'],
    ['PATCH', '/api/tasks/%E0%A4%A'],
    ['DELETE', '/api/tasks/%FF'],
    ['POST', '/api/tasks/%C0%AF/complete'],
  ])('issue 10: %s %s (bad percent-encoding) answers 400 naming the path', async (method, path) => {
    const res = await request(t.app)[method.toLowerCase() as 'get'](path).set(auth);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
    expect(fieldsOf(res.body)).toEqual(['path']);
  });

  const login = (encoding: string, bytes: Buffer | string) =>
    request(t.app)
      .post('/api/auth/login')
      .set('content-type', 'application/json')
      .set('content-encoding', encoding)
      .serialize((body: Buffer | string) => body as string)
      .send(bytes);

  it.each(['gzip', 'deflate', 'br'])(
    'issue 10: a corrupt %s body answers 400 before any login',
    async (encoding) => {
      const res = await login(encoding, '{}');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
      expect(fieldsOf(res.body)).toEqual(['body']);
    },
  );

  it('decompresses valid gzip and br bodies as usual', async () => {
    const body = JSON.stringify({ email: 'nobody@example.com', password: 'not the password' });
    expect((await login('gzip', gzipSync(body))).status).toBe(401);
    expect((await login('br', brotliCompressSync(body))).status).toBe(401);
  });

  it.each(['compress', 'zstd', 'identity, gzip'])(
    'issue 10: Content-Encoding %s answers 415',
    async (encoding) => {
      const res = await login(encoding, '{}');
      expect(res.status).toBe(415);
      expect(res.body.error.code).toBe('unsupported_media_type');
    },
  );
});

describe('tokens whose user does not exist (issue 10)', () => {
  let t: TestApp;
  const tokens = createAccessTokens(TEST_TOKEN_CONFIG);
  const bearer = async (sub: string) => ({
    Authorization: `Bearer ${(await tokens.issue(sub)).token}`,
  });
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const taskId = '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a09';
  /** Every authenticated route, answered: `{ route, status }` for one failing line per route. */
  const statusesOnEveryRoute = async (auth: Auth) => {
    const routes: Array<[string, request.Test]> = [
      ['GET /api/auth/me', request(t.app).get('/api/auth/me')],
      ['GET /api/tasks', request(t.app).get('/api/tasks')],
      ['POST /api/tasks', request(t.app).post('/api/tasks').send({ title: 'x' })],
      ['GET /api/tasks/{id}', request(t.app).get(`/api/tasks/${taskId}`)],
      ['PUT /api/tasks/{id}', request(t.app).put(`/api/tasks/${taskId}`).send({ title: 'x' })],
      ['PATCH /api/tasks/{id}', request(t.app).patch(`/api/tasks/${taskId}`).send({ title: 'x' })],
      ['DELETE /api/tasks/{id}', request(t.app).delete(`/api/tasks/${taskId}`)],
      ['POST /api/tasks/{id}/complete', request(t.app).post(`/api/tasks/${taskId}/complete`)],
      ['PATCH /api/tasks/{id}/toggle', request(t.app).patch(`/api/tasks/${taskId}/toggle`)],
      [
        'GET /api/recurrence/preview',
        request(t.app)
          .get('/api/recurrence/preview')
          .query({ rrule: 'FREQ=DAILY', start: '2026-01-01T09:00:00Z' }),
      ],
    ];
    return Promise.all(
      routes.map(async ([route, req]) => {
        const res = await req.set(auth);
        return { route, status: res.status, code: res.body.error?.code };
      }),
    );
  };
  const allUnauthenticated = (results: Array<{ route: string }>) =>
    results.map(({ route }) => ({ route, status: 401, code: 'unauthenticated' }));

  it("issue 10: a deleted user's still-valid token answers 401 on every authenticated route", async () => {
    const user = await registerUser(t.app);
    await t.database.client`DELETE FROM users WHERE id = ${user.id}`;
    const results = await statusesOnEveryRoute(user.auth);
    expect(results).toEqual(allUnauthenticated(results));
    const tasks = await t.database.client`SELECT count(*)::int AS n FROM tasks`;
    expect(tasks[0]!.n).toBe(0);
  });

  it.each(['not-a-uuid', '42', "'; DROP TABLE users; --", '6f1e2d3c4b5a49788a6b5c4d3e2f1a09'])(
    'issue 10: a validly signed token with sub %j answers 401 on every authenticated route',
    async (sub) => {
      const results = await statusesOnEveryRoute(await bearer(sub));
      expect(results).toEqual(allUnauthenticated(results));
    },
  );

  it("issue 10: a create racing the user's deletion answers 401, not 500", async () => {
    const user = await registerUser(t.app);
    // Served once, so the app remembers that the user exists; then the account goes.
    await request(t.app).get('/api/tasks').set(user.auth).expect(200);
    await t.database.client`DELETE FROM users WHERE id = ${user.id}`;
    const res = await request(t.app).post('/api/tasks').set(user.auth).send({ title: 'x' });
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual({
      code: 'unauthenticated',
      message: 'account no longer exists',
    });
    const errors = t.logs.filter((line) => line.level === 'error');
    expect(errors).toEqual([]);
  });
});

describe('requests Node rejects before Express (issue 10)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('issue 10: the real process answers huge headers with 431 and a malformed request with 400, in JSON', async () => {
    const run = await serveThenTerminate({
      name: 'task-api',
      cwd: process.cwd(),
      env: {
        DATABASE_URL: t.database.url,
        JWT_SECRET: 'hostile-input-secret-that-is-long-enough-0123',
        NODE_ENV: 'production',
      },
      whileServing: async (port) => ({
        hugeHeaders: await rawHttpExchange(
          port,
          `GET /api/tasks HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17_000)}\r\n\r\n`,
        ),
        malformed: await rawHttpExchange(port, 'GARBAGE\r\n\r\n'),
      }),
    });
    expect(run.probed?.hugeHeaders.status).toBe(431);
    expect(run.probed?.hugeHeaders.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(run.probed!.hugeHeaders.body).error.code).toBe('headers_too_large');
    expect(run.probed?.malformed.status).toBe(400);
    expect(JSON.parse(run.probed!.malformed.body).error.code).toBe('bad_request');
    expect(run.exitCode).toBe(0);
  }, 30_000);
});

describe('hostile text and methods', () => {
  let t: TestApp;
  let auth: { Authorization: string };
  beforeAll(async () => {
    t = await createTestApp();
    auth = (await registerUser(t.app)).auth;
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    ['title', { title: 'a\u0000b' }],
    ['tags.0', { title: 'ok', tags: ['x\u0000'] }],
    ['description', { title: 'ok', description: '\u0000' }],
  ])(
    'rejects a NUL character in %s with 400 (PostgreSQL text cannot hold it)',
    async (field, body) => {
      const res = await request(t.app).post('/api/tasks').set(auth).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    },
  );

  it.each([
    ['/api/tasks?offset=', 'query.offset'],
    ['/api/tasks?offset=%205', 'query.offset'],
    ['/api/tasks?offset=0x10', 'query.offset'],
    ['/api/tasks?limit=0x10', 'query.limit'],
    ['/api/tasks?limit=1e1', 'query.limit'],
    ['/api/tasks?limit=-1', 'query.limit'],
    [
      '/api/recurrence/preview?rrule=FREQ%3DDAILY&start=2026-01-01T00%3A00%3A00Z&count=0x10',
      'query.count',
    ],
  ])('found by fuzzing: %s answers 400 naming %s, not a reading of it', async (url, field) => {
    const res = await request(t.app).get(url).set(auth);
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual([field]);
  });

  it('still reads page numbers written in digits, and their defaults', async () => {
    const page = await request(t.app).get('/api/tasks?limit=7&offset=3').set(auth).expect(200);
    expect(page.body).toMatchObject({ limit: 7, offset: 3 });
    const defaults = await request(t.app).get('/api/tasks').set(auth).expect(200);
    expect(defaults.body).toMatchObject({ limit: 50, offset: 0 });
  });

  it('answers 405 with Allow for a method a known path does not serve', async () => {
    const res = await request(t.app).delete('/api/tasks').set(auth);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, POST, HEAD, OPTIONS');
    expect((await request(t.app).put('/livez')).status).toBe(405);
  });
});
