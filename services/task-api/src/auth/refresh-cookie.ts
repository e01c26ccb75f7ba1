import { parseCookie, stringifySetCookie } from 'cookie';
import type { Request, Response } from 'express';

export const REFRESH_COOKIE_NAME = 'todo_refresh';
/**
 * Sent back only to the auth routes (refresh, logout): never with task requests, never readable by
 * scripts (HttpOnly), never sent by another site's page (SameSite=Strict).
 */
export const REFRESH_COOKIE_PATH = '/api/auth';

export interface RefreshCookie {
  /** The refresh token the request's cookie carries, if any. */
  read(req: Request): string | undefined;
  /** Sets the cookie to `token` until the session ends. */
  write(res: Response, token: string, maxAgeSeconds: number): void;
  /** Tells the browser to drop the cookie. */
  clear(res: Response): void;
}

/**
 * `secure: false` only for plain-http development on a host other than localhost (browsers keep
 * Secure cookies on http://localhost); env.ts refuses it in production.
 */
export function createRefreshCookie(options: { secure: boolean }): RefreshCookie {
  const attributes = {
    path: REFRESH_COOKIE_PATH,
    httpOnly: true,
    secure: options.secure,
    sameSite: 'strict',
  } as const;
  return {
    read(req) {
      const header = req.get('cookie');
      return header ? parseCookie(header)[REFRESH_COOKIE_NAME] : undefined;
    },
    write(res, token, maxAgeSeconds) {
      res.append(
        'Set-Cookie',
        stringifySetCookie(REFRESH_COOKIE_NAME, token, { ...attributes, maxAge: maxAgeSeconds }),
      );
    },
    clear(res) {
      res.append(
        'Set-Cookie',
        stringifySetCookie(REFRESH_COOKIE_NAME, '', {
          ...attributes,
          maxAge: 0,
          expires: new Date(0),
        }),
      );
    },
  };
}
