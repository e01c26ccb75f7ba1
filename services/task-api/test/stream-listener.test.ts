import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { createCapturingLogger, eventually } from '@todo/service-runtime/testing';
import { withStreamListener } from '../src/stream/stream-listener.js';
import type { TaskStreams } from '../src/stream/task-streams.js';
import { openSse, type SseClient } from './support/sse-client.js';
import { streamReplicas } from './support/stream-replicas.js';
import { createAppOver, registerUser } from './support/test-app.js';

/** The stream's path, answered by the listener in front of Express. */
const LISTENER = '/api/tasks/stream';
/** The same route with a trailing slash: Express matches it, the listener does not. */
const EXPRESS = '/api/tasks/stream/';

/**
 * What may differ between two answers of the same route: the moment, the request's id, and the
 * weak ETag Express's `res.json` puts on every body, error bodies included (nothing caches an
 * error: the listener's error answers have none, asserted below).
 */
const VARYING = new Set(['date', 'x-request-id', 'etag']);
const comparable = (headers: IncomingHttpHeaders) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !VARYING.has(name)));
const withoutErrorId = (body: unknown) =>
  JSON.parse(JSON.stringify(body), (key, value: unknown) =>
    key === 'error_id' ? typeof value : value,
  ) as unknown;

/** A GET carrying a body (fetch sends none with a GET), with its Content-Length. */
const getWithBody = (url: string, body: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'GET', headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });

/**
 * `GET /api/tasks/stream` is served by `node:http` in front of the Express app
 * (`stream/stream-listener.ts`). Every answer must be the one the Express route gives, which
 * still serves the path's other spellings: each case here asks both and compares them.
 */
describe('the live stream served outside Express', () => {
  let database: TestDatabase;
  const replicas = streamReplicas(() => database);
  const opened: SseClient[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    for (const client of opened.splice(0)) client.close();
    await replicas.stopAll();
  });
  afterAll(async () => {
    await database.drop();
  });

  const openBoth = async (url: string, headers: Record<string, string>) => {
    const both = await Promise.all([
      openSse(`${url}${LISTENER}`, headers),
      openSse(`${url}${EXPRESS}`, headers),
    ]);
    opened.push(...both);
    return both;
  };

  it('refuses a missing, malformed or unknown token as the route does, CORS headers included', async () => {
    const { url } = await replicas.start();
    for (const headers of [
      {},
      { authorization: 'Bearer not.a.token' },
      { authorization: 'Basic abc' },
      { authorization: 'Bearer x', origin: 'http://localhost:3000' },
      { authorization: 'Bearer x', origin: 'https://elsewhere.example' },
    ] as Array<Record<string, string>>) {
      const [listener, express] = await openBoth(url, headers);
      await Promise.all([listener.waitForEnd(), express.waitForEnd()]);
      expect(listener.status).toBe(401);
      expect(express.status).toBe(401);
      expect(comparable(listener.headers)).toEqual(comparable(express.headers));
      expect(listener.body()).toEqual(express.body());
      expect(listener.headers['x-request-id']).toEqual(expect.any(String));
      expect(listener.headers.etag).toBeUndefined();
    }
  });

  it('opens the stream with the route’s headers, security and CORS included, and the same first events', async () => {
    const { app, url } = await replicas.start();
    const user = await registerUser(app);
    const [listener, express] = await openBoth(url, {
      ...user.auth,
      origin: 'http://localhost:3000',
      'x-request-id': 'stream-listener-test',
    });
    expect(listener.status).toBe(200);
    expect(express.status).toBe(200);
    expect(comparable(listener.headers)).toEqual(comparable(express.headers));
    expect(listener.headers).toMatchObject({
      'content-type': 'text/event-stream',
      'access-control-allow-origin': 'http://localhost:3000',
      'access-control-allow-credentials': 'true',
      'x-content-type-options': 'nosniff',
      'x-request-id': 'stream-listener-test',
    });
    const [[ready], [alsoReady]] = await Promise.all([
      listener.waitForEvents(1),
      express.waitForEvents(1),
    ]);
    expect(ready).toMatchObject({ event: 'ready' });
    expect(alsoReady).toMatchObject({ event: 'ready', id: ready!.id });
  });

  it('answers the caps as the route does: 429 for the user’s, 503 for the replica’s, both with Retry-After', async () => {
    const perUser = await replicas.start({ maxPerUser: 1 });
    const user = await registerUser(perUser.app);
    const first = await openSse(`${perUser.url}${LISTENER}`, user.auth);
    opened.push(first);
    await first.waitForEvents(1);
    const [listener, express] = await openBoth(perUser.url, user.auth);
    await Promise.all([listener.waitForEnd(), express.waitForEnd()]);
    expect([listener.status, express.status]).toEqual([429, 429]);
    expect(listener.headers['retry-after']).toEqual(expect.any(String));
    expect(comparable(listener.headers)).toEqual(comparable(express.headers));
    expect(listener.body()).toEqual(express.body());

    const full = await replicas.start({ maxOpen: 1 });
    const other = await registerUser(full.app);
    const holding = await openSse(`${full.url}${LISTENER}`, (await registerUser(full.app)).auth);
    opened.push(holding);
    await holding.waitForEvents(1);
    const [listenerFull, expressFull] = await openBoth(full.url, other.auth);
    await Promise.all([listenerFull.waitForEnd(), expressFull.waitForEnd()]);
    expect([listenerFull.status, expressFull.status]).toEqual([503, 503]);
    expect(listenerFull.headers['retry-after']).toEqual(expect.any(String));
    expect(comparable(listenerFull.headers)).toEqual(comparable(expressFull.headers));
    expect(withoutErrorId(listenerFull.body())).toEqual(withoutErrorId(expressFull.body()));
  });

  it('times the stream’s requests under the route’s template, whichever way they came', async () => {
    const { url, metrics } = await replicas.start();
    const [listener, express] = await openBoth(url, {});
    await Promise.all([listener.waitForEnd(), express.waitForEnd()]);
    const count = async () => {
      const metric = await metrics.getSingleMetric('http_server_request_duration_seconds')?.get();
      return metric?.values.find(
        (value: { metricName?: string; labels: Record<string, unknown> }) =>
          value.metricName === 'http_server_request_duration_seconds_count' &&
          value.labels.http_route === '/api/tasks/stream' &&
          value.labels.http_response_status_code === 401,
      )?.value;
    };
    await eventually(async () => (await count()) === 2, { what: 'both requests timed' });
  });

  it('leaves every other request to Express (another method, a GET with a body); a query string is still served here', async () => {
    const { app, url } = await replicas.start();
    const [post, postExpress] = await Promise.all(
      [LISTENER, EXPRESS].map((path) => fetch(`${url}${path}`, { method: 'POST' })),
    );
    expect(post!.status).not.toBe(200);
    expect(post!.status).toBe(postExpress!.status);
    expect(await post!.json()).toEqual(await postExpress!.json());
    // A GET with a body, which Express reads (here refuses) before any route.
    const [bodyHere, bodyExpress] = await Promise.all(
      [LISTENER, EXPRESS].map((path) =>
        getWithBody(`${url}${path}`, '{', { 'content-type': 'application/json' }),
      ),
    );
    expect(bodyHere!.status).toBe(400);
    expect(JSON.parse(bodyHere!.body)).toMatchObject({ error: { code: 'invalid_json' } });
    expect(bodyHere).toEqual(bodyExpress);
    const user = await registerUser(app);
    const withQuery = await openSse(`${url}${LISTENER}?since=now`, user.auth);
    opened.push(withQuery);
    expect(withQuery.status).toBe(200);
    await withQuery.waitForEvents(1);
  });

  describe('a fault in the stream (a failing fake of TaskStreams)', () => {
    const failing = (after: 'nothing' | 'headers'): TaskStreams => ({
      size: () => 0,
      close: async () => undefined,
      async open(res) {
        if (after === 'headers') {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write(': begun\n\n');
        }
        throw new Error('stream broke');
      },
    });
    const serve = async (streams: TaskStreams | undefined) => {
      const { app, logs } = createAppOver(
        database.db,
        {},
        async () => {},
        streams ? { streams } : {},
      );
      const server = createServer(app).listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        logs,
        auth: (await registerUser(app)).auth,
        close: () => new Promise((resolve) => server.close(resolve)),
      };
    };

    it('answers 503 when the stream is off, once the caller is known, as the route does', async () => {
      const target = await serve(undefined);
      try {
        for (const headers of [{}, target.auth] as Array<Record<string, string>>) {
          const [listener, express] = await openBoth(target.url, headers);
          await Promise.all([listener.waitForEnd(), express.waitForEnd()]);
          expect(listener.status).toBe(express.status);
          expect(comparable(listener.headers)).toEqual(comparable(express.headers));
          expect(withoutErrorId(listener.body())).toEqual(withoutErrorId(express.body()));
        }
        expect(opened.map((client) => client.status)).toEqual([401, 401, 503, 503]);
      } finally {
        await target.close();
      }
    });

    it('answers 500 with the error_id it logged, before the stream has begun', async () => {
      const target = await serve(failing('nothing'));
      try {
        const [listener, express] = await openBoth(target.url, target.auth);
        await Promise.all([listener.waitForEnd(), express.waitForEnd()]);
        expect([listener.status, express.status]).toEqual([500, 500]);
        expect(listener.body()).toEqual({
          error: {
            code: 'internal_error',
            message: 'internal server error',
            error_id: expect.any(String),
          },
        });
        expect(withoutErrorId(listener.body())).toEqual(withoutErrorId(express.body()));
        const errorId = (listener.body() as { error: { error_id: string } }).error.error_id;
        expect(target.logs).toContainEqual(
          expect.objectContaining({ message: 'request failed', error_id: errorId }),
        );
      } finally {
        await target.close();
      }
    });

    it('cuts the connection once the stream has begun, as Express does', async () => {
      const target = await serve(failing('headers'));
      try {
        for (const path of [LISTENER, EXPRESS]) {
          const outcome = await new Promise<string>((resolve) => {
            const req = httpRequest(`${target.url}${path}`, { headers: target.auth }, (res) => {
              res.on('data', () => undefined);
              res.on('aborted', () => resolve('aborted'));
              res.on('error', () => resolve('aborted'));
              res.on('end', () => resolve('ended'));
            });
            req.on('error', () => resolve('aborted'));
            req.end();
          });
          expect(`${path}: ${outcome}`).toBe(`${path}: aborted`);
        }
        // Express's own final handler only closes it; the listener also logs the fault.
        expect(target.logs.filter((line) => line.message === 'request failed')).toHaveLength(1);
      } finally {
        await target.close();
      }
    });
  });
});

describe('withStreamListener', () => {
  it('takes only GET of the exact path (any query), and hands everything else to the app', async () => {
    const reachedApp: string[] = [];
    const listener = withStreamListener(
      (req, res) => {
        reachedApp.push(`${req.method} ${req.url}`);
        res.end();
      },
      {
        streams: undefined,
        authenticate: async () => ({ userId: 'user', sessionId: 'session' }),
        logger: createCapturingLogger('task-api', 'info').logger,
        headers: [],
        trustProxyHops: 0,
      },
    );
    const server = createServer(listener).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const statusOf = async (method: string, path: string) =>
        (await fetch(`${url}${path}`, { method })).status;
      // Served here: the stream is off, so the listener's own 503 once the caller is known.
      expect(await statusOf('GET', '/api/tasks/stream')).toBe(503);
      expect(await statusOf('GET', '/api/tasks/stream?since=1')).toBe(503);
      expect(reachedApp).toEqual([]);
      for (const [method, path] of [
        ['POST', '/api/tasks/stream'],
        ['HEAD', '/api/tasks/stream'],
        ['GET', '/api/tasks/stream/'],
        ['GET', '/API/tasks/stream'],
        ['GET', '/api/tasks/streams'],
        ['GET', '/api/tasks'],
      ] as const) {
        expect(await statusOf(method, path)).toBe(200);
      }
      // A GET with a body: Express reads (and may refuse) a body before any route.
      const withBody = await getWithBody(`${url}/api/tasks/stream`, '{}', {
        'content-type': 'application/json',
      });
      expect(withBody.status).toBe(200);
      // An empty one too: Express's body parsers still read (and check) it.
      expect((await getWithBody(`${url}/api/tasks/stream`, '')).status).toBe(200);
      expect(reachedApp).toEqual([
        'POST /api/tasks/stream',
        'HEAD /api/tasks/stream',
        'GET /api/tasks/stream/',
        'GET /API/tasks/stream',
        'GET /api/tasks/streams',
        'GET /api/tasks',
        'GET /api/tasks/stream',
        'GET /api/tasks/stream',
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
