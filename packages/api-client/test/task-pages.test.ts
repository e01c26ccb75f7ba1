import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  allTasks,
  createSession,
  createTaskApiClient,
  taskPages,
  TaskListError,
  type TaskApiClient,
} from '../src/index.js';
import { startTaskApiServer, type TaskApiServer } from './support/task-api-server.js';

describe('task pages by cursor against the real task-api', () => {
  let server: TaskApiServer;
  let client: TaskApiClient;
  const requests: string[] = [];

  beforeAll(async () => {
    server = await startTaskApiServer();
    const fetch = (request: Request) => {
      requests.push(new URL(request.url).search);
      return globalThis.fetch(request);
    };
    const session = createSession({ baseUrl: server.baseUrl, fetch, refreshTokenIn: 'body' });
    client = createTaskApiClient({
      baseUrl: server.baseUrl,
      fetch,
      getAccessToken: session.getAccessToken,
      refreshAccessToken: session.refreshAccessToken,
    });
    const { data } = await client.POST('/api/auth/register', {
      body: { email: `${randomUUID()}@example.com`, password: 'a long password' },
    });
    session.signedIn(data!);
    for (let i = 1; i <= 7; i += 1) {
      await client.POST('/api/tasks', {
        body: { title: `task ${i}`, priority: i % 2 === 0 ? 'high' : 'low' },
      });
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  it('yields every page in order, following next_cursor with the same query', async () => {
    requests.length = 0;
    const pages = [];
    for await (const page of taskPages(client, { sort: 'title', limit: 3 })) pages.push(page);

    expect(pages.map((p) => p.items.map((t) => t.title))).toEqual([
      ['task 1', 'task 2', 'task 3'],
      ['task 4', 'task 5', 'task 6'],
      ['task 7'],
    ]);
    expect(pages.at(-1)!.next_cursor).toBeNull();
    expect(requests).toHaveLength(3);
    expect(requests.slice(1).every((q) => q.includes('sort=title') && q.includes('cursor='))).toBe(
      true,
    );
  });

  it('yields the tasks one at a time, filters kept, and requests no page before it is needed', async () => {
    requests.length = 0;
    const titles = [];
    for await (const task of allTasks(client, { priority: 'high', sort: 'title', limit: 1 })) {
      titles.push(task.title);
      if (titles.length === 2) break;
    }
    expect(titles).toEqual(['task 2', 'task 4']);
    expect(requests).toHaveLength(2);
    expect(requests.every((q) => q.includes('priority=high'))).toBe(true);
  });

  it('throws the API’s error for a refused page', async () => {
    const pages = taskPages(client, { limit: 1000 });
    const failure = await pages.next().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TaskListError);
    expect(failure).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
  });
});
