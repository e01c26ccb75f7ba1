import type { Middleware } from 'openapi-fetch';

/** Where the client reads the current access token, once per request (it changes on refresh). */
export type AccessTokenSource = () => string | undefined | Promise<string | undefined>;

/**
 * Sends `Authorization: Bearer <token>` on every request that does not set its own. Public
 * operations ignore it, so it is sent regardless of the operation's `security`.
 */
export function bearerAuth(getAccessToken: AccessTokenSource): Middleware {
  return {
    async onRequest({ request }) {
      if (request.headers.has('authorization')) return undefined;
      const token = await getAccessToken();
      if (token) request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
  };
}
