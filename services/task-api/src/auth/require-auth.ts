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

/** The caller of a request, as its access token and live session say. */
export interface Caller {
  userId: string;
  sessionId: string;
}

/**
 * The caller of a request with this `Authorization` header; a 401 `AppError` for one without a
 * valid `Bearer <token>`, or whose token's session has ended (logout, refresh-token reuse, password
 * change, expiry) or whose account no longer exists (within live-sessions.ts's bound).
 */
export async function authenticateBearer(
  tokens: AccessTokens,
  sessions: LiveSessions,
  authorization: string | undefined,
): Promise<Caller> {
  const token = bearerTokenOf(authorization);
  if (!token) throw new AppError('unauthenticated', 'missing bearer token');
  const claims = await tokens.verify(token);
  if (!claims) throw new AppError('unauthenticated', 'invalid or expired token');
  const state = await sessions.check(claims.sessionId, claims.userId);
  if (state !== 'live') {
    throw new AppError(
      'unauthenticated',
      state === 'ended' ? 'session has ended' : 'account or session no longer exists',
    );
  }
  return { userId: claims.userId, sessionId: claims.sessionId };
}

/** Rejects with 401 the requests `authenticateBearer` refuses; sets the caller on `res.locals`. */
export function requireAuth(tokens: AccessTokens, sessions: LiveSessions): RequestHandler {
  return async (req, res, next) => {
    let caller: Caller;
    try {
      caller = await authenticateBearer(tokens, sessions, req.get('authorization'));
    } catch (error) {
      next(error);
      return;
    }
    res.locals.userId = caller.userId;
    res.locals.sessionId = caller.sessionId;
    res.locals.ctx.addLogFields({ userId: caller.userId });
    next();
  };
}
