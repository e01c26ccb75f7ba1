import type { RequestHandler } from 'express';
import { AppError } from './app-error.js';
import { allowHeader } from './routes/route-table.js';

/**
 * For `router.all(path, ...)` after a path's routes: a method the path does not serve answers
 * 405 with an `Allow` header (not a misleading 404); OPTIONS answers 204 with the same header.
 * `mountRoutes` installs it for every path of a route table.
 */
export function methodNotAllowed(allowed: string[]): RequestHandler {
  const allow = allowHeader(allowed);
  return (req, res, next) => {
    res.setHeader('Allow', allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next(new AppError('method_not_allowed', `${req.method} is not allowed here; use ${allow}`));
  };
}
