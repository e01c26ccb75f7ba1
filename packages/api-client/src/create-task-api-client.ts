import createClient, { type Client } from 'openapi-fetch';
import { bearerAuth, type AccessTokenSource } from './bearer-auth.js';
import type { paths } from './generated/task-api.js';
import { fetchWithTokenRefresh, type RefreshAccessToken } from './token-refresh.js';

export type TaskApiClient = Client<paths>;

/** How to reach task-api as one user; shared by the REST client and the live stream. */
export interface TaskApiConnection {
  /** task-api's origin, e.g. `http://127.0.0.1:8080` (the document's paths start with /api). */
  baseUrl: string;
  /** The current access token; omitted for a client that only calls public operations. */
  getAccessToken?: AccessTokenSource;
  /**
   * Called on a 401 to a request that carried a token: returns a fresh access token (then the
   * request is sent once more) or throws (SignedOutError). `createSession` provides one.
   */
  refreshAccessToken?: RefreshAccessToken;
  /** Defaults to the global fetch; a browser app or a test may pass its own. */
  fetch?: (request: Request) => Promise<Response>;
}

/** The resolved fetch of a connection: its own or the global one, with refresh on 401 if set. */
export function connectionFetch(
  connection: TaskApiConnection,
): (request: Request) => Promise<Response> {
  // Looked up per call, not captured: a test or a polyfill may replace globalThis.fetch later.
  const base = connection.fetch ?? ((request: Request) => globalThis.fetch(request));
  const { getAccessToken, refreshAccessToken } = connection;
  return getAccessToken && refreshAccessToken
    ? fetchWithTokenRefresh({ fetch: base, getAccessToken, refreshAccessToken })
    : base;
}

/**
 * An openapi-fetch client typed by task-api's OpenAPI document: `client.GET('/api/tasks/{id}',
 * { params: { path: { id } } })` answers `{ data, error, response }` with the operation's types.
 */
export function createTaskApiClient(connection: TaskApiConnection): TaskApiClient {
  const client = createClient<paths>({
    baseUrl: connection.baseUrl,
    fetch: connectionFetch(connection),
  });
  if (connection.getAccessToken) client.use(bearerAuth(connection.getAccessToken));
  return client;
}
