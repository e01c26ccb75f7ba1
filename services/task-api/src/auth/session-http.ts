import type { Request, Response } from 'express';
import { AppError } from '@todo/service-runtime';
import type {
  DeleteAccountBody,
  RefreshBody,
  RefreshResponse,
  TokenResponse,
} from './auth.schemas.js';
import { toUserResponse, type AuthService, type SignedIn } from './auth.service.js';
import { assertNotCrossSite } from './csrf.js';
import { bearerTokenOf } from './require-auth.js';
import type { IssuedSession } from './session.service.js';

/**
 * The HTTP side of sessions, between the auth routes and the services: which credential a
 * request presents, the refresh cookie, and the JSON answers. Kept here so the services never
 * see Express.
 */

/** A refresh token and where it came from: the body (any client) or the cookie (browsers). */
interface Presented {
  token: string;
  via: 'body' | 'cookie';
}

/** The body's refresh token, else the cookie's; a cookie only after the CSRF checks pass. */
function presentedRefreshToken(
  auth: AuthService,
  req: Request,
  body: RefreshBody,
): Presented | undefined {
  if (body?.refresh_token) return { token: body.refresh_token, via: 'body' };
  const fromCookie = auth.cookie.read(req);
  if (!fromCookie) return undefined;
  assertNotCrossSite(req, auth.allowedOrigins);
  return { token: fromCookie, via: 'cookie' };
}

const accessPart = (session: IssuedSession) => ({
  access_token: session.accessToken,
  token_type: 'Bearer' as const,
  expires_in: session.expiresIn,
  refresh_expires_in: session.refreshExpiresIn,
});

/** Register and login: both forms of the refresh token, since the server cannot tell a browser. */
export async function answerSignedIn(
  auth: AuthService,
  res: Response,
  signingIn: Promise<SignedIn>,
): Promise<TokenResponse> {
  const { user, session } = await signingIn;
  auth.cookie.write(res, session.refreshToken, session.refreshExpiresIn);
  return {
    ...accessPart(session),
    refresh_token: session.refreshToken,
    user: toUserResponse(user),
  };
}

export async function refreshSession(
  auth: AuthService,
  req: Request,
  res: Response,
  body: RefreshBody,
): Promise<RefreshResponse> {
  const presented = presentedRefreshToken(auth, req, body);
  if (!presented) {
    throw new AppError('unauthenticated', 'no refresh token: send refresh_token or the cookie', [
      { field: 'refresh_token', message: 'required (or the todo_refresh cookie)' },
    ]);
  }
  let session: IssuedSession;
  try {
    session = await auth.sessions.refresh(presented.token);
  } catch (error) {
    // A cookie that no longer works would be sent on every later request: drop it.
    if (presented.via === 'cookie') auth.cookie.clear(res);
    throw error;
  }
  auth.cookie.write(res, session.refreshToken, session.refreshExpiresIn);
  return presented.via === 'body'
    ? { ...accessPart(session), refresh_token: session.refreshToken }
    : accessPart(session);
}

/**
 * Ends the session the request names, by its refresh token (body or cookie) or else its access
 * token; a session already ended, or none named at all, is no error (204 all the same).
 */
export async function logout(
  auth: AuthService,
  req: Request,
  res: Response,
  body: RefreshBody,
): Promise<undefined> {
  const bearer = bearerTokenOf(req.get('authorization'));
  const claims = bearer ? await auth.tokens.verify(bearer) : undefined;
  // A valid bearer token proves the request is not cross-site; the cookie is then not needed.
  const presented = body?.refresh_token
    ? { token: body.refresh_token }
    : claims
      ? undefined
      : presentedRefreshToken(auth, req, body);
  if (presented) await auth.sessions.endByRefreshToken(presented.token);
  else if (claims) await auth.sessions.end(claims.sessionId);
  auth.cookie.clear(res);
  return undefined;
}

/** Deletes the caller's account and drops the cookie of its (now deleted) session. */
export async function deleteAccount(
  auth: AuthService,
  res: Response,
  body: DeleteAccountBody,
): Promise<undefined> {
  await auth.deleteAccount(res.locals.userId, body);
  auth.cookie.clear(res);
  return undefined;
}
