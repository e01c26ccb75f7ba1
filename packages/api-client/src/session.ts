import createClient from 'openapi-fetch';
import type { paths } from './generated/task-api.js';
import { SignedOutError } from './signed-out-error.js';
import { singleFlight, type RefreshAccessToken } from './token-refresh.js';

/** The token fields of register, login and refresh answers. */
export interface SessionTokens {
  access_token: string;
  refresh_token?: string | undefined;
}

export interface SessionOptions {
  baseUrl: string;
  /**
   * Where the refresh token lives. `body`: in this object, sent in the refresh request's body
   * (Node, native apps). `cookie`: in task-api's HttpOnly cookie, which page scripts cannot read;
   * the refresh request sends credentials and the `X-CSRF: 1` header task-api requires then.
   */
  refreshTokenIn: 'body' | 'cookie';
  /** The answer of register or login, when already signed in. */
  tokens?: SessionTokens;
  fetch?: (request: Request) => Promise<Response>;
  /** Told of every new pair, e.g. to keep the access token across page loads. */
  onTokens?: (tokens: SessionTokens) => void;
}

export interface Session {
  getAccessToken(): string | undefined;
  /** `POST /api/auth/refresh` once for all concurrent callers; SignedOutError when refused. */
  refreshAccessToken: RefreshAccessToken;
  /** Takes the tokens of a register or login answer (a new session). */
  signedIn(tokens: SessionTokens): void;
}

/**
 * A user's tokens and their renewal: pass `getAccessToken` and `refreshAccessToken` to
 * `createTaskApiClient` and `streamTaskChanges`, and every request renews an expired access token
 * by itself. A refused refresh ends the session here too: later refreshes fail at once with
 * the same SignedOutError instead of presenting a dead token again.
 */
export function createSession(options: SessionOptions): Session {
  let tokens = options.tokens;
  let ended: SignedOutError | undefined;
  // No auth and no refresh on the refresh call itself.
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    fetch: options.fetch ?? ((request: Request) => globalThis.fetch(request)),
  });

  const take = (next: SessionTokens) => {
    tokens = { ...next, refresh_token: next.refresh_token ?? tokens?.refresh_token };
    ended = undefined;
    options.onTokens?.(tokens);
  };

  const refresh = async (): Promise<string> => {
    if (ended) throw ended;
    const refreshToken = tokens?.refresh_token;
    if (options.refreshTokenIn === 'body' && !refreshToken) {
      throw new SignedOutError(401, 'signed out: no refresh token to present');
    }
    const { data, response } =
      options.refreshTokenIn === 'body'
        ? await client.POST('/api/auth/refresh', { body: { refresh_token: refreshToken } })
        : await client.POST('/api/auth/refresh', {
            headers: { 'X-CSRF': '1' },
            credentials: 'include',
          });
    if (data) {
      take(data);
      return data.access_token;
    }
    if (response.status === 401 || response.status === 403) {
      ended = new SignedOutError(response.status);
      throw ended;
    }
    // Rate limited, unavailable: the session may still be fine, so the caller may retry.
    throw new Error(`POST /api/auth/refresh answered ${response.status}`);
  };

  return {
    getAccessToken: () => tokens?.access_token,
    refreshAccessToken: singleFlight(refresh),
    signedIn: take,
  };
}
