import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import {
  answerClientErrorsAsJson,
  AppError,
  envBoolean,
  EnvError,
  errorHandler,
  healthRouter,
  notFoundHandler,
  parseEnv,
  parseInput,
  requestContext,
} from '../src/index.js';
import { createCapturingLogger } from '../src/testing/index.js';
import { rawHttpExchange } from '../src/testing/index.js';

function capturingLogger() {
  const { logger, logs } = createCapturingLogger('test');
  return { logger, lines: logs };
}

function appWith(route: express.RequestHandler) {
  const { logger, lines } = capturingLogger();
  const app = express();
  app.use(requestContext(logger));
  app.use(express.json({ limit: '1kb' }));
  app.post('/thing', route);
  app.get('/thing', route);
  app.use(notFoundHandler());
  app.use(errorHandler(logger));
  return { app, lines };
}

describe('errorHandler', () => {
  it('answers a validation failure with 400 naming each field, unknown keys included', async () => {
    const schema = z.strictObject({ title: z.string().min(1), count: z.number().int() });
    const { app } = appWith((req, res) => {
      res.json(parseInput(schema, req.body, 'body'));
    });
    const res = await request(app).post('/thing').send({ title: '', count: 1.5, owner: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const fields = res.body.error.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['count', 'owner', 'title']);
  });

  it('answers 413 for an oversized body and 400 for malformed JSON', async () => {
    const { app } = appWith((_req, res) => {
      res.json({});
    });
    const big = await request(app)
      .post('/thing')
      .send({ blob: 'x'.repeat(5000) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
    const bad = await request(app)
      .post('/thing')
      .set('content-type', 'application/json')
      .send('{"a":');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_json');
  });

  it('hides unexpected errors behind an error_id that is also logged with the stack', async () => {
    const { app, lines } = appWith(() => {
      throw new Error('database password is hunter2');
    });
    const res = await request(app).get('/thing');
    expect(res.status).toBe(500);
    expect(res.body.error.error_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    const logged = lines.find((l) => l.error_id === res.body.error.error_id);
    expect(logged).toBeDefined();
    expect(String((logged!.err as { stack: string }).stack)).toContain('hunter2');
    expect(logged!.requestId).toBe(res.headers['x-request-id']);
  });

  it('maps AppError codes to their status and unknown routes to 404', async () => {
    const { app } = appWith(() => {
      throw new AppError('conflict', 'already there');
    });
    expect((await request(app).get('/thing')).status).toBe(409);
    const missing = await request(app).get('/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });
});

describe('errorHandler and errors raised in front of the routes', () => {
  function frontApp() {
    const { logger, lines } = capturingLogger();
    const app = express();
    app.use(requestContext(logger));
    app.use(express.json({ limit: '1kb' }));
    app.get('/items/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
    app.post('/items', (req, res) => {
      res.json(req.body);
    });
    app.get('/raise/:status', (req) => {
      throw Object.assign(new Error('the exact reason'), {
        status: Number(req.params.status),
        expose: req.query.expose === 'yes',
      });
    });
    app.use(notFoundHandler());
    app.use(errorHandler(logger));
    return { app, lines };
  }

  /** A JSON POST to a fresh app whose body claims `encoding`. */
  const postItems = (encoding: string) =>
    request(frontApp().app)
      .post('/items')
      .set('content-type', 'application/json')
      .set('content-encoding', encoding);

  it('answers 400 naming the path for malformed percent-encoding in a path parameter', async () => {
    const { app } = frontApp();
    const res = await request(app).get('/items/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
    expect(res.body.error.details).toEqual([{ field: 'path', message: expect.any(String) }]);
    expect(res.body.error.error_id).toBeUndefined();
  });

  it.each(['gzip', 'deflate', 'br'])(
    'answers 400 for a body that is not valid %s data',
    async (encoding) => {
      const res = await postItems(encoding).send('{}');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
      expect(res.body.error.message).toContain(encoding);
      expect(res.body.error.details[0].field).toBe('body');
    },
  );

  it('still decompresses a valid gzip body', async () => {
    const res = await postItems('gzip')
      // superagent would JSON-encode a Buffer; send its bytes as they are.
      .serialize((bytes: Buffer) => bytes as unknown as string)
      .send(gzipSync(JSON.stringify({ ok: true })));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
  });

  it.each(['compress', 'x-gzip', 'zstd', 'gzip, br'])(
    'answers 415 naming the encoding for Content-Encoding: %s',
    async (encoding) => {
      const res = await postItems(encoding).send('{}');
      expect(res.status).toBe(415);
      expect(res.body.error.code).toBe('unsupported_media_type');
      expect(res.body.error.message).toContain(encoding);
    },
  );

  it('honours a 4xx status, showing the message only when the error exposes it', async () => {
    const { app } = frontApp();
    const exposed = await request(app).get('/raise/409?expose=yes');
    expect(exposed.status).toBe(409);
    expect(exposed.body.error).toEqual({ code: 'conflict', message: 'the exact reason' });
    const hidden = await request(app).get('/raise/404');
    expect(hidden.status).toBe(404);
    expect(hidden.body.error).toEqual({ code: 'not_found', message: 'bad request' });
  });

  it('keeps a 5xx status error unexpected: 500 with an error_id, message hidden', async () => {
    const { app, lines } = frontApp();
    const res = await request(app).get('/raise/503?expose=yes');
    expect(res.status).toBe(500);
    expect(res.body.error.message).toBe('internal server error');
    expect(lines.some((line) => line.error_id === res.body.error.error_id)).toBe(true);
  });
});

describe('answerClientErrorsAsJson', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    const { logger } = capturingLogger();
    const app = express().get('/ok', (_req, res) => {
      res.json({ ok: true });
    });
    server = createServer(app);
    answerClientErrorsAsJson(server, logger);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers headers over the size limit with 431 in the JSON error shape', async () => {
    // Node's default limit is 16 KiB for the request line and headers together.
    const res = await rawHttpExchange(
      port,
      `GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17_000)}\r\n\r\n`,
    );
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toEqual({
      error: { code: 'headers_too_large', message: expect.any(String) },
    });
  });

  it.each([
    ['a malformed request line', 'NOT HTTP AT ALL\r\n\r\n'],
    ['a header without a colon', 'GET /ok HTTP/1.1\r\nHost: x\r\nbroken header\r\n\r\n'],
    [
      'a bad chunk size',
      'POST /ok HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    ],
  ])('answers %s with 400 in the JSON error shape', async (_what, bytes) => {
    const res = await rawHttpExchange(port, bytes);
    expect(res.status).toBe(400);
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
    expect(JSON.parse(res.body).error.code).toBe('bad_request');
  });

  it('leaves well-formed requests alone', async () => {
    const res = await rawHttpExchange(
      port,
      'GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true });
  });
});

describe('requestContext', () => {
  it('keeps a sane incoming request id and replaces a hostile one', async () => {
    const { app } = appWith((_req, res) => {
      res.json({});
    });
    const kept = await request(app).get('/thing').set('x-request-id', 'abc-123');
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await request(app).get('/thing').set('x-request-id', '"><script>'.repeat(3));
    expect(replaced.headers['x-request-id']).not.toBe('"><script>'.repeat(3));
  });
});

describe('logger', () => {
  it('redacts secrets wherever they appear', () => {
    const { logger, lines } = capturingLogger();
    logger.info('login', {
      email: 'a@b.c',
      body: { password: 'p', nested: { authorization: 'Bearer x' } },
    });
    return new Promise<void>((resolve) => {
      setImmediate(() => {
        const text = JSON.stringify(lines[0]);
        expect(text).not.toContain('a@b.c');
        expect(text).not.toContain('Bearer x');
        expect(lines[0]!.service).toBe('test');
        resolve();
      });
    });
  });
});

describe('logger and query errors', () => {
  it('leaves out the parameters a failed query carries, and the row values a driver quotes', async () => {
    const { logger, lines } = capturingLogger();
    const sqlText = `update "users" set "password_hash" = $1 where note = '$$x$'' '`;
    const driverError = Object.assign(new Error('new row violates check constraint'), {
      code: '23514',
      constraint_name: 'users_check',
      detail: 'Failing row contains ($argon2id$secret).',
    });
    // The shape of drizzle's DrizzleQueryError (this package does not depend on drizzle).
    const queryError = Object.assign(
      new Error(`Failed query: ${sqlText}\nparams: $argon2id$secret`),
      { query: sqlText, params: ['$argon2id$secret'], cause: driverError },
    );
    // Wrapped as @todo/db's QueryError wraps a driver error: a cause that is not enumerable.
    const wrapper = new Error('the list query failed', { cause: queryError });
    logger.warn('could not update', { err: wrapper });
    await new Promise((resolve) => setImmediate(resolve));
    expect(JSON.stringify(lines[0])).not.toContain('$argon2id$secret');
    const logged = lines[0]!.err as Record<string, unknown>;
    expect(logged.message).toBe('the list query failed');
    const query = logged.cause as Record<string, unknown>;
    expect(query.message).toBe(`Failed query: ${sqlText}`);
    expect(query.query).toBe(sqlText);
    expect(query).not.toHaveProperty('stack');
    expect(query.cause).toMatchObject({
      message: 'new row violates check constraint',
      code: '23514',
      constraint_name: 'users_check',
    });
    expect(query.cause).not.toHaveProperty('detail');
  });

  it('keeps the stack of a failed query, its SQL intact, without the parameters', async () => {
    const { logger, lines } = capturingLogger();
    const sqlText = `select '$$' || $1 || '$''' || 'x' as x`;
    const error = Object.assign(new Error(`Failed query: ${sqlText}\nparams: hunter2`), {
      params: ['hunter2'],
    });
    logger.error('failed', { err: error });
    await new Promise((resolve) => setImmediate(resolve));
    const stack = String((lines[0]!.err as Record<string, unknown>).stack);
    expect(stack.split('\n')[0]).toBe(`Error: Failed query: ${sqlText}`);
    expect(stack).toContain('runtime.test.ts');
    expect(stack).not.toContain('hunter2');
  });
});

describe('healthRouter', () => {
  it('reports ready only when the check passes', async () => {
    let up = true;
    const app = express().use(
      healthRouter({
        ready: async () => {
          if (!up) throw new Error('down');
        },
      }),
    );
    expect((await request(app).get('/livez')).status).toBe(200);
    expect((await request(app).get('/readyz')).status).toBe(200);
    up = false;
    expect((await request(app).get('/readyz')).status).toBe(503);
    expect((await request(app).get('/livez')).status).toBe(200);
  });

  it('adds details to a ready answer, and a failure to gather them never fails readiness', async () => {
    let parked: number | Error = 3;
    const app = express().use(
      healthRouter({
        ready: async () => {},
        details: async () => {
          if (parked instanceof Error) throw parked;
          return { parked_events: parked, status: 'not allowed to override' };
        },
      }),
    );
    expect((await request(app).get('/readyz')).body).toEqual({
      status: 'ready',
      parked_events: 3,
    });
    parked = new Error('database busy');
    const answer = await request(app).get('/readyz');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ready' });
  });
});

describe('parseEnv', () => {
  const schema = z.object({
    PORT: z.coerce.number().int().min(1).max(65535),
    DEBUG: envBoolean(false),
  });

  it('parses booleans safely', () => {
    expect(parseEnv(schema, { PORT: '80', DEBUG: 'false' }).DEBUG).toBe(false);
    expect(parseEnv(schema, { PORT: '80', DEBUG: '1' }).DEBUG).toBe(true);
    expect(parseEnv(schema, { PORT: '80' }).DEBUG).toBe(false);
  });

  it('names every bad variable', () => {
    try {
      parseEnv(schema, { PORT: '99999', DEBUG: 'maybe' });
      throw new Error('expected an EnvError');
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      const problems = (error as EnvError).problems.join('\n');
      expect(problems).toContain('PORT');
      expect(problems).toContain('DEBUG');
    }
  });
});
