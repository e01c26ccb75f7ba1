import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { activeTraceparent } from '@todo/telemetry';
import type { Logger } from './logger.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

export interface RequestContext {
  requestId: string;
  /**
   * W3C trace context to hand on (events the request writes keep it): the request's own span when
   * tracing runs, otherwise the incoming request's, if it carried a valid one.
   */
  traceparent: string | undefined;
  /** This request's logger: every line carries `requestId` and the fields `addLogFields` added. */
  log: Logger;
  /**
   * Adds fields to this request's later lines, the `request finished` line included. `log` is
   * replaced by one child of the service's logger holding them all: a child of the request's
   * child would turn that child into a prototype, a hidden class of its own for every request.
   */
  addLogFields(fields: Record<string, unknown>): void;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      ctx: RequestContext;
    }
  }
}

/** The caller's `x-request-id` when it is sane, otherwise a new one. */
export function requestIdOf(incoming: string | undefined): string {
  return incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Logs one `request finished` line when the response has been sent: at `http`, or `error` for a
 * 5xx, with the logger `log` gives then (it may have gained fields meanwhile).
 */
export function logWhenFinished(
  res: ServerResponse,
  method: string,
  pathOf: () => string,
  log: () => Logger,
): void {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const logger = log();
    const level = res.statusCode >= 500 ? 'error' : 'http';
    // winston formats a line (redaction, timestamp, JSON) before its transport drops it for
    // its level: at the usual `info`, every request paid for an `http` line nobody sees.
    if (!logger.isLevelEnabled(level)) return;
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    logger.log(level, 'request finished', {
      method,
      path: pathOf(),
      status: res.statusCode,
      durationMs: Math.round(ms * 10) / 10,
    });
  });
}

/**
 * Gives every request an id (the caller's `x-request-id` when it is sane), echoes it back, and a
 * child logger that stamps it on every line; logs one line per finished request.
 */
export function requestContext(logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const requestId = requestIdOf(req.get('x-request-id'));
    const traceparent = req.get('traceparent');
    let fields: Record<string, unknown> = { requestId };
    const ctx: RequestContext = {
      requestId,
      traceparent:
        activeTraceparent() ??
        (traceparent && TRACEPARENT.test(traceparent) ? traceparent : undefined),
      log: logger.child(fields),
      addLogFields(more) {
        fields = { ...fields, ...more, requestId };
        ctx.log = logger.child(fields);
      },
    };
    res.locals.ctx = ctx;
    res.setHeader('x-request-id', requestId);
    logWhenFinished(
      res,
      req.method,
      () => req.originalUrl.split('?')[0]!,
      () => ctx.log,
    );
    next();
  };
}
