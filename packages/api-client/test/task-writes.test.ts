import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createSession,
  createTaskApiClient,
  deleteTask,
  etagOf,
  setTaskDone,
  TaskWriteError,
  updateTask,
  type StreamedTask,
  type Task,
  type TaskApiClient,
} from '../src/index.js';
import { startTaskApiServer, type TaskApiServer } from './support/task-api-server.js';

describe('task writes with If-Match against the real task-api', () => {
  let server: TaskApiServer;
  let client: TaskApiClient;
  const ifMatchSent: Array<string | null> = [];

  beforeAll(async () => {
    server = await startTaskApiServer();
    const fetch = (request: Request) => {
      if (request.method !== 'GET' && request.method !== 'POST') {
        ifMatchSent.push(request.headers.get('if-match'));
      }
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
  });
  afterAll(async () => {
    await server?.close();
  });

  const create = async (title: string): Promise<Task> =>
    (await client.POST('/api/tasks', { body: { title } })).data!;

  it('sends the seen version as If-Match and answers the changed task', async () => {
    const task = await create('mine');
    ifMatchSent.length = 0;
    const result = await updateTask(client, task, { title: 'renamed' });
    expect(ifMatchSent).toEqual(['"v1"']);
    expect(result).toMatchObject({ ok: true, task: { title: 'renamed', version: 2 } });
    expect(etagOf(result.ok ? result.task : task)).toBe('"v2"');
  });

  it('answers a conflict with the current task when someone changed it (412), and writes nothing', async () => {
    const task = await create('shared');
    const theirs = await updateTask(client, task, { title: 'theirs' });
    expect(theirs.ok).toBe(true);
    const mine = await updateTask(client, task, { title: 'mine' });
    expect(mine).toEqual({
      ok: false,
      current: expect.objectContaining({ title: 'theirs', version: 2 }),
    });
    const done = await setTaskDone(client, task, 'complete');
    expect(done.ok).toBe(false);
    const removed = await deleteTask(client, task);
    expect(removed.ok).toBe(false);
    const now = (await client.GET('/api/tasks/{id}', { params: { path: { id: task.id } } })).data;
    expect(now).toMatchObject({ title: 'theirs', status: 'pending', version: 2 });

    // Keeping mine: retry with the version the conflict answered.
    const retried = await updateTask(client, mine.ok ? task : mine.current, { title: 'mine' });
    expect(retried).toMatchObject({ ok: true, task: { title: 'mine', version: 3 } });
  });

  it('reads a task seen without a version (a stream change logged before versions) before writing', async () => {
    const task = await create('streamed');
    const { version: _version, ...streamed }: StreamedTask = task;
    ifMatchSent.length = 0;
    const done = await setTaskDone(client, streamed, 'toggle');
    expect(done).toMatchObject({ ok: true, task: { status: 'done', version: 2 } });
    expect(ifMatchSent).toEqual(['"v1"']);
    // Seen before the toggle: the read finds another updated_at, a conflict without writing.
    const stale = await deleteTask(client, streamed);
    expect(stale).toMatchObject({ ok: false, current: { status: 'done', version: 2 } });
    expect(ifMatchSent).toEqual(['"v1"']);
    expect(await deleteTask(client, done.ok ? done.task : task)).toEqual({ ok: true, task: null });
  });

  it('throws TaskWriteError for other refusals, with the error body', async () => {
    const task = await create('valid');
    await expect(updateTask(client, task, { title: '' })).rejects.toBeInstanceOf(TaskWriteError);
    await expect(
      updateTask(client, { ...task, id: randomUUID() }, { title: 'x' }),
    ).rejects.toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });
});
