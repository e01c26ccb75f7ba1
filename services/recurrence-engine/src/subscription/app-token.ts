import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '@todo/service-runtime';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Only the Dapr sidecar may deliver events: it sends the shared app token as `dapr-api-token`.
 * Missing token: 401. Wrong token: 403. No token configured: every request passes (development).
 */
export function requireAppToken(token: string | undefined): RequestHandler {
  if (!token) return (_req, _res, next) => next();
  const expected = digest(token);
  return (req, _res, next) => {
    const given = req.get('dapr-api-token');
    if (!given) {
      next(new AppError('unauthenticated', 'missing dapr-api-token'));
      return;
    }
    if (!timingSafeEqual(digest(given), expected)) {
      next(new AppError('forbidden', 'invalid dapr-api-token'));
      return;
    }
    next();
  };
}
