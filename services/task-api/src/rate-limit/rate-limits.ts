import type { Request, RequestHandler, Response } from 'express';
import { rateLimit, type Options } from 'express-rate-limit';
import type { Database } from '@todo/db';
import { AppError, type Logger } from '@todo/service-runtime';
import type { RateLimitConfig } from './defaults.js';
import { PostgresRateLimitStore } from './postgres-store.js';

export interface RateLimits {
  auth: RequestHandler;
  sessions: RequestHandler;
  writes: RequestHandler;
  preview: RequestHandler;
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Behind requireAuth: the caller, so a limit follows the account across IPs and replicas. */
const byUser = (_req: Request, res: Response) => res.locals.userId;

export function createRateLimits(
  db: Database,
  logger: Logger,
  config: RateLimitConfig,
): RateLimits {
  const limiter = (
    name: string,
    limit: number,
    message: string,
    options: Partial<Pick<Options, 'keyGenerator' | 'skip'>> = {},
  ) =>
    rateLimit({
      windowMs: 60_000,
      limit,
      identifier: name,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      store: new PostgresRateLimitStore(db, `${name}:`, (err) =>
        logger.warn('could not purge expired rate-limit counters', { err }),
      ),
      logger: {
        error: (err, text) => logger.error(text ?? 'rate limiter failed', { err }),
        warn: (err, text) => logger.warn(text ?? 'rate limiter misconfigured', { err }),
      },
      // Retry-After and RateLimit are set before this runs; the body is the API's error shape.
      handler: (_req, _res, next) => next(new AppError('rate_limited', message)),
      ...options,
    });

  return {
    auth: limiter('auth', config.authPerMinute, 'too many attempts, try again later'),
    sessions: limiter(
      'session',
      config.sessionsPerMinute,
      'too many session requests, try again later',
    ),
    writes: limiter('write', config.writesPerMinute, 'too many changes, try again later', {
      keyGenerator: byUser,
      skip: (req) => READS.has(req.method),
    }),
    preview: limiter('preview', config.previewsPerMinute, 'too many previews, try again later', {
      keyGenerator: byUser,
    }),
  };
}
