import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createSession,
  createTaskApiClient,
  SignedOutError,
  type SessionOptions,
} from '../src/index.js';
import { startTaskApiServer, type TaskApiServer } from './support/task-api-server.js';

/** A fetch that records each request's method, path and answer status. */
function recordingFetch() {
  const calls: string[] = [];
  const fetch = async (request: Request) => {
    const response = await globalThis.fetch(request);
    calls.push(`${request.method} ${new URL(request.url).pathname} ${response.status}`);
    return response;
  };
  return { calls, fetch, refreshes: () => calls.filter((c) => c.includes('/api/auth/refresh')) };
}

describe('token refresh against the real task-api', () => {
  let server: TaskApiServer;

  beforeAll(async () => {
    server = await startTaskApiServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  /** A freshly registered user's session and client, in the body form (as Node uses it). */
  async function signedInUser(
    fetch: (request: Request) => Promise<Response>,
    refreshTokenIn: SessionOptions['refreshTokenIn'] = 'body',
  ) {
    const { baseUrl } = server;
    const session = createSession({ baseUrl, fetch, refreshTokenIn });
    const client = createTaskApiClient({
      baseUrl,
      fetch,
      getAccessToken: session.getAccessToken,
      refreshAccessToken: session.refreshAccessToken,
    });
    const { data } = await client.POST('/api/auth/register', {
      body: { email: `${randomUUID()}@example.com`, password: 'a long password' },
    });
    session.signedIn(data!);
    return { session, client };
  }

  it('renews an expired access token once and sends the request again, body included', async () => {
    const recorder = recordingFetch();
    const { session, client } = await signedInUser(recorder.fetch);
    const first = session.getAccessToken();
    server.expireAccessTokens();

    const { data, response } = await client.POST('/api/tasks', { body: { title: 'After expiry' } });

    expect(response.status).toBe(201);
    expect(data!.title).toBe('After expiry');
    expect(session.getAccessToken()).not.toBe(first);
    expect(recorder.calls.slice(1)).toEqual([
      'POST /api/tasks 401',
      'POST /api/auth/refresh 200',
      'POST /api/tasks 201',
    ]);
  });

  it('shares one refresh among concurrent 401s (a second use of the refresh token would end the session)', async () => {
    const recorder = recordingFetch();
    const { client } = await signedInUser(recorder.fetch);
    server.expireAccessTokens();

    const answers = await Promise.all(Array.from({ length: 8 }, () => client.GET('/api/auth/me')));

    expect(answers.map((a) => a.response.status)).toEqual(answers.map(() => 200));
    expect(recorder.refreshes()).toEqual(['POST /api/auth/refresh 200']);
  });

  it('retries a 401 for a token a concurrent refresh already replaced without refreshing again', async () => {
    const recorder = recordingFetch();
    const { session, client } = await signedInUser(recorder.fetch);
    const stale = session.getAccessToken()!;
    server.expireAccessTokens();
    await client.GET('/api/auth/me');
    expect(recorder.refreshes()).toHaveLength(1);

    // A request that was sent with the old token (as one in flight during the refresh was).
    const { response } = await client.GET('/api/auth/me', {
      headers: { authorization: `Bearer ${stale}` },
    });

    expect(response.status).toBe(200);
    expect(recorder.refreshes()).toHaveLength(1);
  });

  it('rejects with SignedOutError once the session has ended, and stops presenting its token', async () => {
    const recorder = recordingFetch();
    const { client } = await signedInUser(recorder.fetch);
    // Logout (by the bearer token) ends the session the refresh token belongs to.
    const logout = await client.POST('/api/auth/logout', {});
    expect(logout.response.status).toBe(204);
    server.expireAccessTokens();

    await expect(client.GET('/api/auth/me')).rejects.toBeInstanceOf(SignedOutError);
    await expect(client.GET('/api/auth/me')).rejects.toMatchObject({ status: 401 });
    // One refused refresh: the second request did not present the dead refresh token again.
    expect(recorder.refreshes().filter((c) => c.endsWith('401'))).toHaveLength(1);
  });

  it('refreshes by cookie with the CSRF header, never reading the refresh token', async () => {
    // A browser's cookie jar, for the auth path only, as task-api scopes the cookie.
    let cookie: string | undefined;
    const recorder = recordingFetch();
    const browserFetch = async (request: Request) => {
      const sent = new Request(request);
      if (cookie && new URL(sent.url).pathname.startsWith('/api/auth')) {
        sent.headers.set('cookie', cookie);
      }
      const response = await recorder.fetch(sent);
      const set = response.headers.get('set-cookie');
      if (set) cookie = set.split(';')[0];
      return response;
    };
    const session = createSession({
      baseUrl: server.baseUrl,
      fetch: browserFetch,
      refreshTokenIn: 'cookie',
    });
    const client = createTaskApiClient({
      baseUrl: server.baseUrl,
      fetch: browserFetch,
      getAccessToken: session.getAccessToken,
      refreshAccessToken: session.refreshAccessToken,
    });
    const { data } = await client.POST('/api/auth/register', {
      body: { email: `${randomUUID()}@example.com`, password: 'a long password' },
    });
    // A page keeps only the access token; the refresh token stays in the cookie.
    session.signedIn({ access_token: data!.access_token });
    server.expireAccessTokens();

    const { response } = await client.GET('/api/auth/me');

    expect(response.status).toBe(200);
    expect(recorder.refreshes()).toEqual(['POST /api/auth/refresh 200']);
  });
});
