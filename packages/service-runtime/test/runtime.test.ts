import { describe, expect, it } from '@jest/globals';
import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import {
  AppError,
  createCapturingLogger,
  envBoolean,
  EnvError,
  errorHandler,
  healthRouter,
  notFoundHandler,
  parseEnv,
  parseInput,
  requestContext,
} from '../src/index.js';

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
