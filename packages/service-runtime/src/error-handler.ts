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
 * The single place errors become HTTP responses. Expected errors answer with their code and the
 * fields at fault; anything else is a 500 whose body carries only an `error_id`, logged with the
 * stack so an operator can find it.
 */
export function errorHandler(fallbackLogger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const log = res.locals.ctx?.log ?? fallbackLogger;
    const known =
      err instanceof AppError
        ? err
        : err instanceof z.ZodError
          ? new AppError('validation_failed', 'invalid request', fieldIssues(err))
          : fromHttpError(err, req);

    if (known && known.status < 500) {
      log.log(ERROR_CODES[known.code].level, known.message, { code: known.code });
      const body: ErrorBody = {
        error: {
          code: known.code,
          message: known.message,
          ...(known.details ? { details: known.details } : {}),
        },
      };
      res.status(known.status).json(body);
      return;
    }

    const errorId = randomUUID();
    const code = known?.code ?? 'internal_error';
    log.error('request failed', { error_id: errorId, code, err });
    const body: ErrorBody = {
      error: {
        code,
        message: code === 'internal_error' ? 'internal server error' : (known?.message ?? code),
        error_id: errorId,
      },
    };
    res.status(known?.status ?? 500).json(body);
  };
}
