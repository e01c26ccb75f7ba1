import { randomUUID } from 'node:crypto';
import {
  createSession,
  createTaskApiClient,
  type CreateTaskRequest,
  type Task,
} from '@todo/api-client';

export type { Task } from '@todo/api-client';
// The typed client's live stream, for suites that read it as a frontend does.
export {
  SignedOutError,
  streamTaskChanges,
  type StreamTaskChangesOptions,
  type TaskStreamEvent,
} from '@todo/api-client';

const REQUEST_TIMEOUT_MS = 30_000;

// A request the service never answers fails the test here, not at jest's suite timeout.
const fetchWithTimeout = (request: Request) =>
  fetch(request, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });

/**
 * A signed-in user of task-api, through the typed client a frontend would use. Its session
 * renews the access token on a 401, so a suite that outlives one token keeps working.
 */
export async function signUp(baseUrl: string) {
  const session = createSession({ baseUrl, fetch: fetchWithTimeout, refreshTokenIn: 'body' });
  const client = createTaskApiClient({
    baseUrl,
    fetch: fetchWithTimeout,
    getAccessToken: session.getAccessToken,
    refreshAccessToken: session.refreshAccessToken,
  });
  const { data: signedIn, response } = await client.POST('/api/auth/register', {
    body: {
      email: `${randomUUID()}@example.com`,
      password: 'e2e-password-123',
      timezone: 'Europe/Paris',
    },
  });
  if (!signedIn) throw new Error(`register answered ${response.status}`);
  session.signedIn(signedIn);
  const byId = (id: string) => ({ params: { path: { id } } });
  return {
    /** The typed client (`@todo/api-client`), signed in as this user. */
    client,
    session,
    async create(body: CreateTaskRequest): Promise<Task> {
      const { data, error, response } = await client.POST('/api/tasks', { body });
      if (!data) throw new Error(`create answered ${response.status}: ${JSON.stringify(error)}`);
      return data;
    },
    async complete(id: string): Promise<{ status: number; task: Task | undefined }> {
      const { data, response } = await client.POST('/api/tasks/{id}/complete', byId(id));
      return { status: response.status, task: data };
    },
    async get(id: string): Promise<{ status: number; task: Task | undefined }> {
      const { data, response } = await client.GET('/api/tasks/{id}', byId(id));
      return { status: response.status, task: data };
    },
    /** Every task of a series, ordered by due date. */
    async series(seriesId: string): Promise<Task[]> {
      const { data, response } = await client.GET('/api/tasks', {
        params: { query: { sort: 'due_date', limit: 100 } },
      });
      if (!data) throw new Error(`list answered ${response.status}`);
      return data.items.filter((task) => task.series_id === seriesId);
    },
  };
}

/** A user `signUp` returned. */
export type SignedUpUser = Awaited<ReturnType<typeof signUp>>;
