import type { RequestHandler } from 'express';
import { AppError } from './app-error.js';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Refuses request bodies that are not JSON with 415, instead of letting them through as an empty
 * body that fails validation with a misleading message.
 */
export function requireJsonBody(): RequestHandler {
  return (req, _res, next) => {
    const hasBody =
      req.headers['transfer-encoding'] !== undefined ||
      Number(req.headers['content-length'] ?? 0) > 0;
    if (METHODS_WITH_BODY.has(req.method) && hasBody && !req.is('application/json')) {
      next(new AppError('unsupported_media_type', 'request body must be application/json'));
      return;
    }
    next();
  };
}
