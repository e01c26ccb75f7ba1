import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import express from 'express';
import request from 'supertest';
import winston from 'winston';
import { requestContext } from '../src/index.js';
import { createCapturingLogger, eventually } from '../src/testing/index.js';

function appLoggingTo(logger: winston.Logger) {
  const app = express();
  app.use(requestContext(logger));
  app.get('/ok', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/fault', (_req, res) => {
    res.status(503).json({ down: true });
  });
  return app;
}

describe('requestContext', () => {
  it('logs each finished request at http level, with its id, path and status', async () => {
    const { logger, logs } = createCapturingLogger('test', 'http');
    const response = await request(appLoggingTo(logger)).get('/ok?x=1').expect(200);
    const line = await eventually(() => logs.find((l) => l.message === 'request finished'));
    expect(line).toMatchObject({
      level: 'http',
      method: 'GET',
      path: '/ok',
      status: 200,
      requestId: response.headers['x-request-id'],
    });
  });

  it('adds fields to the request’s later lines, the finished line included', async () => {
    const { logger, logs } = createCapturingLogger('test', 'http');
    const app = express();
    app.use(requestContext(logger));
    app.get('/who', (_req, res) => {
      res.locals.ctx.log.info('before');
      res.locals.ctx.addLogFields({ userId: 'u-1' });
      res.locals.ctx.addLogFields({ tenant: 't-1' });
      res.locals.ctx.log.info('after');
      res.json({ ok: true });
    });
    const response = await request(app).get('/who').expect(200);
    const requestId = response.headers['x-request-id'];
    const finished = await eventually(() => logs.find((l) => l.message === 'request finished'));
    const before = logs.find((l) => l.message === 'before');
    const after = logs.find((l) => l.message === 'after');
    expect(before).toMatchObject({ requestId });
    expect(before).not.toHaveProperty('userId');
    expect(after).toMatchObject({ requestId, userId: 'u-1', tenant: 't-1' });
    expect(finished).toMatchObject({ requestId, userId: 'u-1', tenant: 't-1', status: 200 });
  });

  it('does not format a line its level would drop, yet still logs a 5xx at error level', async () => {
    // A format that counts what reaches it: winston runs the format before the transport
    // filters by level, which cost every request a formatted line nobody saw.
    let formatted = 0;
    const lines: winston.Logform.TransformableInfo[] = [];
    const logger = winston.createLogger({
      level: 'info',
      format: winston.format((info) => {
        formatted += 1;
        lines.push(info);
        return info;
      })(),
      transports: [new winston.transports.Stream({ stream: new PassThrough() })],
    });
    const app = appLoggingTo(logger);
    await request(app).get('/ok').expect(200);
    await request(app).get('/fault').expect(503);
    await eventually(() => lines.length === 1);
    expect(formatted).toBe(1);
    expect(lines[0]).toMatchObject({ level: 'error', status: 503, path: '/fault' });
  });
});
