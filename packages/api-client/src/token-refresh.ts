import type { AccessTokenSource } from './bearer-auth.js';

/** Gets a new access token from the refresh token; throws SignedOutError when there is none. */
export type RefreshAccessToken = () => Promise<string>;

type Fetch = (request: Request) => Promise<Response>;

/**
 * Concurrent callers share one run of `refresh` while it is pending. Refresh tokens are single
 * use and a reused one revokes the whole session, so two 401s at once must never become two
 * refreshes with the same token.
 */
export function singleFlight(refresh: RefreshAccessToken): RefreshAccessToken {
  let pending: Promise<string> | undefined;
  return () => {
    pending ??= refresh().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}

const bearerOf = (request: Request) =>
  request.headers.get('authorization')?.match(/^Bearer (.+)$/)?.[1];

/**
 * A fetch that answers a 401 to a bearer request by getting a fresh access token and sending the
 * request once more with it. When the token that was refused is no longer the current one (a
 * concurrent request refreshed already), the current one is used without another refresh. A
 * failing refresh rejects (SignedOutError when the session is over).
 */
export function fetchWithTokenRefresh(options: {
  fetch: Fetch;
  getAccessToken: AccessTokenSource;
  refreshAccessToken: RefreshAccessToken;
}): Fetch {
  const { fetch, getAccessToken, refreshAccessToken } = options;
  return async (request) => {
    const sent = bearerOf(request);
    if (!sent) return fetch(request);
    // Kept before sending: a request body can be read only once.
    const again = request.clone();
    const response = await fetch(request);
    if (response.status !== 401) return response;
    const current = await getAccessToken();
    const token = current && current !== sent ? current : await refreshAccessToken();
    // The refused answer is replaced; release its connection.
    await response.body?.cancel();
    again.headers.set('authorization', `Bearer ${token}`);
    return fetch(again);
  };
}
