import { randomUUID } from 'node:crypto';

const REQUEST_TIMEOUT_MS = 30_000;

export interface Task {
  id: string;
  title: string;
  status: string;
  due_date: string | null;
  parent_task_id: string | null;
  series_id: string;
  occurrence_index: number;
  tags: string[];
  priority: string;
  description: string | null;
}

/** A signed-in user of task-api, over plain HTTP as a frontend would be. */
export async function signUp(baseUrl: string) {
  const res = await fetch(`${baseUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: `${randomUUID()}@example.com`,
      password: 'e2e-password-123',
      timezone: 'Europe/Paris',
    }),
  });
  if (res.status !== 201) throw new Error(`register answered ${res.status}`);
  const { access_token: token } = (await res.json()) as { access_token: string };
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
      // A request the service never answers fails the test here, not at jest's suite timeout.
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    return {
      status: response.status,
      body: response.status === 204 ? undefined : ((await response.json()) as unknown),
    };
  };
  return {
    /** Any request as this user; the answer's status and parsed body. */
    call,
    async create(body: Record<string, unknown>): Promise<Task> {
      const res = await call('POST', '/api/tasks', body);
      if (res.status !== 201)
        throw new Error(`create answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body as Task;
    },
    async complete(id: string): Promise<{ status: number; task: Task }> {
      const res = await call('POST', `/api/tasks/${id}/complete`);
      return { status: res.status, task: res.body as Task };
    },
    async get(id: string) {
      return call('GET', `/api/tasks/${id}`);
    },
    /** Every task of a series, ordered by due date. */
    async series(seriesId: string): Promise<Task[]> {
      const res = await call('GET', '/api/tasks?sort=due_date&limit=100');
      return (res.body as { items: Task[] }).items.filter((task) => task.series_id === seriesId);
    },
  };
}
