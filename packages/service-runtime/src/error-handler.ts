import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, ERROR_CODES } from './app-error.js';
import type { ErrorBody } from './error-body.js';
import { fromHttpError } from './http-errors.js';
import type { Logger } from './logger.js';
import { fieldIssues } from './validation.js';

export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => {
    next(new AppError('not_found', `no route for ${req.method} ${req.path}`));
  };
}

/**
 * What an error answers, logged: an expected error its code and the fields at fault; anything else
 * a 500 (or the expected error's 5xx) whose body carries only an `error_id`, logged with the stack
 * so an operator can find it. `errorHandler` uses it, and so does a request served outside Express.
 */
export function errorResponse(
  err: unknown,
  /** What `err` is as an expected error, if it is one; otherwise it is a fault. */
  known: AppError | undefined,
  log: Logger,
): { status: number; body: ErrorBody } {
  if (known && known.status < 500) {
    log.log(ERROR_CODES[known.code].level, known.message, { code: known.code });
    return {
      status: known.status,
      body: {
        error: {
          code: known.code,
          message: known.message,
          ...(known.details ? { details: known.details } : {}),
        },
      },
    };
  }
  const errorId = randomUUID();
  const code = known?.code ?? 'internal_error';
  log.error('request failed', { error_id: errorId, code, err });
  return {
    status: known?.status ?? 500,
    body: {
      error: {
        code,
        message: code === 'internal_error' ? 'internal server error' : (known?.message ?? code),
        error_id: errorId,
      },
    },
  };
}

/** The single place errors of the Express app become HTTP responses (`errorResponse`). */
export function errorHandler(fallbackLogger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const known =
      err instanceof AppError
        ? err
        : err instanceof z.ZodError
          ? new AppError('validation_failed', 'invalid request', fieldIssues(err))
          : fromHttpError(err, req);
    const { status, body } = errorResponse(err, known, res.locals.ctx?.log ?? fallbackLogger);
    res.status(status).json(body);
  };
}
