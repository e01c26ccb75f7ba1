import { describe, expect, it } from '@jest/globals';
import express, { type RequestHandler } from 'express';
import request from 'supertest';
import { z } from 'zod';
import {
  AppError,
  compareRoutePaths,
  createServiceApp,
  errorBodySchema,
  eventStreamResponse,
  expressPath,
  HEALTH_ROUTES,
  ifMatchPasses,
  mountRoutes,
  openApiPaths,
  Reply,
  routeFor,
  type Route,
} from '../src/index.js';
import { createCapturingLogger } from '../src/testing/index.js';

interface Deps {
  items: Map<string, { id: string; name: string }>;
}
const route = routeFor<Deps>();
const itemSchema = z.object({ id: z.string(), name: z.string() });
const idParams = z.strictObject({ id: z.string().regex(/^\d+$/) });
const ok = (description: string) => ({
  description,
  content: { 'application/json': { schema: itemSchema } },
});

const TABLE: ReadonlyArray<Route<Deps>> = [
  route({
    method: 'get',
    path: '/items',
    operationId: 'listItems',
    summary: 'List',
    tags: ['items'],
    security: 'public',
    request: { query: z.strictObject({ limit: z.coerce.number().int().max(10).default(5) }) },
    responses: { 200: ok('Items') },
    handler: ({ query }, { deps }) => ({ items: [...deps.items.values()].slice(0, query.limit) }),
  }),
  route({
    method: 'post',
    path: '/items',
    operationId: 'createItem',
    summary: 'Create',
    tags: ['items'],
    security: 'bearer',
    request: { body: z.strictObject({ name: z.string().min(1) }) },
    responses: { 201: ok('Created') },
    rateLimit: {
      name: 'writes',
      description: 'Too many writes',
      example: { limit: 7, windowSeconds: 60 },
    },
    handler: ({ body }, { deps, res }) => {
      const item = { id: String(deps.items.size + 1), name: body.name };
      deps.items.set(item.id, item);
      res.location(`/items/${item.id}`);
      return item;
    },
  }),
  route({
    method: 'get',
    path: '/items/{id}',
    operationId: 'getItem',
    summary: 'Get',
    tags: ['items'],
    security: 'bearer',
    request: { params: idParams },
    responses: { 200: ok('The item') },
    errors: { 404: 'No such item' },
    handler: ({ params }, { deps }) => {
      const item = deps.items.get(params.id);
      if (!item) throw AppError.notFound('item');
      return item;
    },
  }),
  route({
    method: 'delete',
    path: '/items/{id}',
    operationId: 'deleteItem',
    summary: 'Delete',
    tags: ['items'],
    security: 'bearer',
    request: { params: idParams },
    responses: { 204: { description: 'Deleted' } },
    handler: ({ params }, { deps }) => {
      deps.items.delete(params.id);
    },
  }),
  route({
    method: 'put',
    path: '/labels/{id}',
    operationId: 'putLabel',
    summary: 'Put a label, if it is still the one the caller saw',
    tags: ['items'],
    security: 'public',
    request: {
      params: idParams,
      headers: z.object({
        'If-Match': z.string().optional(),
        'X-Count': z.coerce.number().int().optional(),
      }),
    },
    responses: {
      200: { description: 'Put', headers: z.object({ ETag: z.string() }) },
      412: { description: 'Stale' },
    },
    handler: ({ headers }, { res }) => {
      res.set('ETag', '"1"');
      return ifMatchPasses(headers['If-Match'], '"1"')
        ? { seen: headers }
        : new Reply(412, { stale: true });
    },
  }),
  route({
    method: 'post',
    path: '/teapot',
    operationId: 'brew',
    summary: 'Brew',
    tags: ['items'],
    security: 'public',
    responses: { 200: { description: 'Brewed' }, 418: { description: 'A teapot' } },
    handler: () => new Reply(418, { short: 'and stout' }),
  }),
];

/** A bearer check that counts its calls, and a limiter that counts what it let through. */
function harness() {
  const seen = { authenticated: 0, limited: 0 };
  const authenticate: RequestHandler = (req, _res, next) => {
    seen.authenticated += 1;
    next(
      req.get('authorization') === 'Bearer ok' ? undefined : new AppError('unauthenticated', 'no'),
    );
  };
  const writes: RequestHandler = (_req, _res, next) => {
    seen.limited += 1;
    next();
  };
  const { logger } = createCapturingLogger('test');
  const deps: Deps = { items: new Map([['1', { id: '1', name: 'first' }]]) };
  const app = createServiceApp({
    logger,
    health: { ready: async () => {} },
    before: [express.json()],
    routes: [
      mountRoutes(TABLE, {
        deps,
        authenticate: { bearer: authenticate },
        rateLimiters: { writes },
      }),
    ],
  });
  return { app, seen, deps };
}
const bearer = { authorization: 'Bearer ok' };

describe('mountRoutes', () => {
  it('passes validated, typed input to the handler and answers its first 2xx', async () => {
    const { app, deps } = harness();
    const list = await request(app).get('/items?limit=1').expect(200);
    expect(list.body).toEqual({ items: [{ id: '1', name: 'first' }] });
    const created = await request(app).post('/items').set(bearer).send({ name: 'second' });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe('/items/2');
    expect(deps.items.get('2')).toEqual({ id: '2', name: 'second' });
    const removed = await request(app).delete('/items/2').set(bearer);
    expect(removed.status).toBe(204);
    expect(removed.text).toBe('');
    expect(deps.items.has('2')).toBe(false);
  });

  it('names the field at fault as parseInput does: query.x, params.x, body fields bare', async () => {
    const { app } = harness();
    const fields = async (res: request.Response) => {
      expect(res.status).toBe(400);
      return (res.body as z.output<typeof errorBodySchema>).error.details!.map((d) => d.field);
    };
    expect(await fields(await request(app).get('/items?limit=11'))).toEqual(['query.limit']);
    expect(await fields(await request(app).get('/items/x').set(bearer))).toEqual(['params.id']);
    expect(await fields(await request(app).post('/items').set(bearer).send({ nme: 'x' }))).toEqual([
      'name',
      'nme',
    ]);
  });

  it('passes the declared headers, read case-insensitively, under their declared names', async () => {
    const { app } = harness();
    const put = await request(app).put('/labels/1').set('if-match', '"1"').set('X-COUNT', '3');
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ seen: { 'If-Match': '"1"', 'X-Count': 3 } });
    expect(put.headers.etag).toBe('"1"');
    const stale = await request(app).put('/labels/1').set('If-Match', '"2"');
    expect(stale.status).toBe(412);
    expect(stale.body).toEqual({ stale: true });
    const absent = await request(app).put('/labels/1').set('x-other', 'ignored');
    expect(absent.body).toEqual({ seen: {} });
    const bad = await request(app).put('/labels/1').set('X-Count', 'many');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual([
      'headers.X-Count',
    ]);
  });

  it('lets a handler answer another status with Reply, and its errors reach the error handler', async () => {
    const { app } = harness();
    const brewed = await request(app).post('/teapot');
    expect(brewed.status).toBe(418);
    expect(brewed.body).toEqual({ short: 'and stout' });
    const missing = await request(app).get('/items/9').set(bearer);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it('checks security, then the rate limit, before reading input', async () => {
    const { app, seen } = harness();
    const refused = await request(app).post('/items').send({ nme: 'invalid' });
    expect(refused.status).toBe(401);
    expect(seen).toEqual({ authenticated: 1, limited: 0 });
    await request(app).post('/items').set(bearer).send({ name: 'ok' }).expect(201);
    expect(seen).toEqual({ authenticated: 2, limited: 1 });
    await request(app).get('/items').expect(200);
    expect(seen).toEqual({ authenticated: 2, limited: 1 });
  });

  it('answers 405 with Allow for every path, 204 to OPTIONS, and HEAD where GET is served', async () => {
    const { app } = harness();
    const wrong = await request(app).put('/items');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET, POST, HEAD, OPTIONS');
    expect(wrong.body.error.code).toBe('method_not_allowed');
    const options = await request(app).options('/teapot');
    expect(options.status).toBe(204);
    expect(options.headers.allow).toBe('POST, OPTIONS');
    await request(app).head('/items').expect(200);
    expect((await request(app).get('/teapot')).status).toBe(405);
  });

  it('asks for credentials before answering 405 on a path only authenticated callers use', async () => {
    const { app } = harness();
    expect((await request(app).put('/items/1')).status).toBe(401);
    const allowed = await request(app).put('/items/1').set(bearer);
    expect(allowed.status).toBe(405);
    expect(allowed.headers.allow).toBe('GET, DELETE, HEAD, OPTIONS');
  });

  it('refuses at mount time a table it cannot serve safely', () => {
    expect(() => mountRoutes(TABLE, { deps: { items: new Map() } })).toThrow(/"bearer"/);
    expect(() =>
      mountRoutes(TABLE, {
        deps: { items: new Map() },
        authenticate: { bearer: (_q, _s, n) => n() },
      }),
    ).toThrow(/rate limiter named "writes"/);
    expect(() => mountRoutes([TABLE[0]!, TABLE[0]!], { deps: { items: new Map() } })).toThrow(
      /GET \/items is declared twice/,
    );
  });
});

describe('openApiPaths', () => {
  const paths = openApiPaths(TABLE, {
    bearer: { id: 'bearerAuth', unauthenticated: 'Missing or bad token' },
  });

  it('documents each route under its OpenAPI path with its own metadata and input', () => {
    expect(Object.keys(paths)).toEqual(['/items', '/items/{id}', '/labels/{id}', '/teapot']);
    expect(Object.keys(paths['/items/{id}']!)).toEqual(['get', 'delete']);
    const get = paths['/items/{id}']!.get!;
    expect(get).toMatchObject({
      operationId: 'getItem',
      summary: 'Get',
      tags: ['items'],
      security: [{ bearerAuth: [] }],
      requestParams: { path: idParams },
    });
    expect(paths['/items']!.get!.security).toEqual([]);
    expect(paths['/items']!.post!.requestBody!.content['application/json'].schema).toBe(
      TABLE[1]!.request!.body,
    );
  });

  it('derives the error answers from the route: input, security, body, rate limit, its own', () => {
    const statuses = (path: string, method: 'get' | 'put' | 'post' | 'delete') =>
      Object.keys(paths[path]![method]!.responses);
    expect(statuses('/items', 'get')).toEqual(['200', '400', '500']);
    expect(statuses('/items', 'post')).toEqual(['201', '400', '401', '413', '415', '429', '500']);
    expect(statuses('/items/{id}', 'get')).toEqual(['200', '400', '401', '404', '500']);
    expect(statuses('/teapot', 'post')).toEqual(['200', '418', '500']);
    expect(statuses('/labels/{id}', 'put')).toEqual(['200', '400', '412', '500']);
    const post = paths['/items']!.post!.responses;
    expect(post['401']!.description).toBe('Missing or bad token');
    expect(post['429']!.description).toBe('Too many writes');
    expect(Object.keys(post['429']!.headers!.shape)).toEqual([
      'Retry-After',
      'RateLimit',
      'RateLimit-Policy',
    ]);
    expect(post['429']!.headers!.shape['RateLimit-Policy'].meta()?.description).toContain(
      '`"writes"; q=7; w=60`',
    );
    expect(paths['/items/{id}']!.get!.responses['404']!.description).toBe('No such item');
    expect(post['500']!.content!['application/json']!.schema).toBe(errorBodySchema);
  });

  it('documents declared headers as header parameters, and response headers as given', () => {
    const put = paths['/labels/{id}']!.put!;
    expect(put.requestParams!.header).toBe(
      TABLE.find((r) => r.path === '/labels/{id}')!.request!.headers,
    );
    expect(put.requestParams!.path).toBe(idParams);
    expect(Object.keys(put.responses['200']!.headers!.shape)).toEqual(['ETag']);
  });

  it('documents the health routes from the table that serves them', () => {
    const health = openApiPaths(HEALTH_ROUTES, {});
    expect(Object.keys(health)).toEqual(['/livez', '/readyz']);
    expect(Object.keys(health['/readyz']!.get!.responses)).toEqual(['200', '500', '503']);
  });

  it('converts OpenAPI path templates to Express paths', () => {
    expect(expressPath('/api/tasks/{id}/complete')).toBe('/api/tasks/:id/complete');
  });
});

describe('a streaming route', () => {
  const eventSchema = z.object({ event: z.literal('tick'), id: z.string(), data: z.string() });
  // Declared after the template that also matches its path: it must still be the one answering.
  const STREAMS: ReadonlyArray<Route<Deps>> = [
    TABLE[2]!,
    TABLE[3]!,
    route({
      method: 'get',
      path: '/items/feed',
      operationId: 'feedItems',
      summary: 'Feed',
      tags: ['items'],
      security: 'bearer',
      responses: { 200: eventStreamResponse(eventSchema, 'Item events') },
      handler: (_input, { res }) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' }).flushHeaders();
        // The handler returns with the stream still open; nothing else may answer for it.
        setTimeout(() => {
          res.write('event: tick\nid: 1\ndata: "a"\n\n');
          res.end('event: tick\nid: 2\ndata: "b"\n\n');
        }, 20);
      },
    }),
  ];
  const app = () => {
    const { logger } = createCapturingLogger('test');
    const authenticate: RequestHandler = (req, _res, next) =>
      next(
        req.get('authorization') === 'Bearer ok'
          ? undefined
          : new AppError('unauthenticated', 'no'),
      );
    return createServiceApp({
      logger,
      health: { ready: async () => {} },
      routes: [
        mountRoutes(STREAMS, {
          deps: { items: new Map() },
          authenticate: { bearer: authenticate },
        }),
      ],
    });
  };

  it('lets its handler write the response, after it returned', async () => {
    const res = await request(app())
      .get('/items/feed')
      .set(bearer)
      .buffer(true)
      .parse((stream, done) => {
        let text = '';
        stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
        stream.on('end', () => done(null, text));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream');
    expect(res.body).toBe('event: tick\nid: 1\ndata: "a"\n\nevent: tick\nid: 2\ndata: "b"\n\n');
  });

  it('is served before a template that matches its path, with 405s of its own', async () => {
    const wrong = await request(app()).delete('/items/feed').set(bearer);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect((await request(app()).get('/items/7').set(bearer)).status).toBe(404);
  });

  it('is documented as text/event-stream with its event schema', () => {
    const paths = openApiPaths(STREAMS, { bearer: { id: 'bearerAuth', unauthenticated: 'no' } });
    expect(paths['/items/feed']!.get!.responses['200']!.content).toEqual({
      'text/event-stream': { schema: eventSchema },
    });
  });
});

describe('compareRoutePaths', () => {
  it('puts a literal segment before a template at the same place, whatever the table order', () => {
    const paths = ['/a/{id}', '/a/{id}/done', '/a/feed', '/a', '/b/{x}/c', '/b/y/{z}'];
    expect([...paths].sort(compareRoutePaths)).toEqual([
      '/a',
      '/a/feed',
      '/b/y/{z}',
      '/a/{id}',
      '/a/{id}/done',
      '/b/{x}/c',
    ]);
  });
});

describe('createServiceApp', () => {
  it('serves health before the service middleware, and answers unknown routes with JSON 404', async () => {
    const { logger } = createCapturingLogger('test');
    const refuseAll: RequestHandler = (_req, _res, next) => next(new AppError('forbidden', 'no'));
    const app = createServiceApp({
      logger,
      health: { ready: async () => {} },
      settings: { 'trust proxy': 1 },
      before: [refuseAll],
      routes: [],
    });
    expect(app.get('x-powered-by')).toBe(false);
    expect(app.get('trust proxy')).toBe(1);
    const live = await request(app).get('/livez').expect(200);
    expect(live.headers['x-request-id']).toBeDefined();
    expect((await request(app).get('/elsewhere')).status).toBe(403);
    const { app: open } = harness();
    const missing = await request(open).get('/nothing');
    expect(missing.status).toBe(404);
    expect(errorBodySchema.safeParse(missing.body).success).toBe(true);
    expect((await request(open).put('/readyz')).headers.allow).toBe('GET, HEAD, OPTIONS');
  });
});
