import {
  createSession,
  createTaskApiClient,
  type Session,
  type TaskApiClient,
} from '@todo/api-client';

/** One signed-in user's way to task-api: their session (tokens) and the typed client. */
export interface TaskApi {
  baseUrl: string;
  session: Session;
  client: TaskApiClient;
}

/**
 * Refresh tokens are single use and a second use revokes the session, so tabs must not refresh
 * at the same time with the same cookie: the refresh request runs under a lock all tabs of the
 * origin share (each one then sends the cookie the previous one left).
 */
export function refreshOneTabAtATime(request: Request): Promise<Response> {
  const locks = globalThis.navigator?.locks;
  if (!locks) return fetch(request);
  return locks.request('todo-refresh', () => fetch(request));
}

/**
 * task-api at `baseUrl` (the page's own origin: the dev server and the production web server
 * forward /api to it). The access token stays in memory; the refresh token in task-api's
 * HttpOnly cookie.
 */
export function createTaskApi(baseUrl: string): TaskApi {
  const session = createSession({ baseUrl, refreshTokenIn: 'cookie', fetch: refreshOneTabAtATime });
  const client = createTaskApiClient({
    baseUrl,
    getAccessToken: session.getAccessToken,
    refreshAccessToken: session.refreshAccessToken,
  });
  return { baseUrl, session, client };
}
