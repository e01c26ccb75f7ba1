import type { RequestHandler } from 'express';
import { AppError } from '@todo/service-runtime';
import type { AccessTokens } from './access-tokens.js';
import type { ExistingUsers } from './existing-users.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Set by requireAuth: the authenticated caller. */
      userId: string;
    }
  }
}

/**
 * Rejects with 401 requests without a valid `Authorization: Bearer <token>`, and those whose
 * token names a user that no longer exists.
 */
export function requireAuth(tokens: AccessTokens, users: ExistingUsers): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    const match = header?.match(/^Bearer ([A-Za-z0-9._~+/=-]+)$/);
    if (!match) {
      next(new AppError('unauthenticated', 'missing bearer token'));
      return;
    }
    const userId = await tokens.verify(match[1]!);
    if (!userId) {
      next(new AppError('unauthenticated', 'invalid or expired token'));
      return;
    }
    if (!(await users.exists(userId))) {
      next(new AppError('unauthenticated', 'account no longer exists'));
      return;
    }
    res.locals.userId = userId;
    res.locals.ctx.log = res.locals.ctx.log.child({ userId });
    next();
  };
}
