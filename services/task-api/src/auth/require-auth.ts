import type { RequestHandler } from 'express';
import { AppError } from '@todo/service-runtime';
import type { AccessTokens } from './access-tokens.js';
import type { LiveSessions } from './live-sessions.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Set by requireAuth: the authenticated caller. */
      userId: string;
      /** Set by requireAuth: the session the caller's access token was issued in. */
      sessionId: string;
    }
  }
}

/** The bearer token of a request, if it carries one in the accepted syntax. */
export function bearerTokenOf(header: string | undefined): string | undefined {
  return header?.match(/^Bearer ([A-Za-z0-9._~+/=-]+)$/)?.[1];
}

/**
 * Rejects with 401 requests without a valid `Authorization: Bearer <token>`, and those whose
 * token's session has ended (logout, refresh-token reuse, password change, expiry) or whose
 * account no longer exists (within live-sessions.ts's bound).
 */
export function requireAuth(tokens: AccessTokens, sessions: LiveSessions): RequestHandler {
  return async (req, res, next) => {
    const token = bearerTokenOf(req.get('authorization'));
    if (!token) {
      next(new AppError('unauthenticated', 'missing bearer token'));
      return;
    }
    const claims = await tokens.verify(token);
    if (!claims) {
      next(new AppError('unauthenticated', 'invalid or expired token'));
      return;
    }
    const state = await sessions.check(claims.sessionId, claims.userId);
    if (state !== 'live') {
      next(
        new AppError(
          'unauthenticated',
          state === 'ended' ? 'session has ended' : 'account or session no longer exists',
        ),
      );
      return;
    }
    res.locals.userId = claims.userId;
    res.locals.sessionId = claims.sessionId;
    res.locals.ctx.addLogFields({ userId: claims.userId });
    next();
  };
}
