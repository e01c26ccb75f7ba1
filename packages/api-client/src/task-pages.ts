import type { TaskApiClient } from './create-task-api-client.js';
import type { operations } from './generated/task-api.js';
import type { ApiError, Task, TaskList } from './types.js';

/** `GET /api/tasks`'s filters and sort; the pages supply the cursor. */
export type TaskPagesQuery = Omit<
  NonNullable<operations['listTasks']['parameters']['query']>,
  'cursor' | 'offset'
>;

/** A list page the API refused (a 4xx or 5xx answer), with the document's error body. */
export class TaskListError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError | undefined,
  ) {
    super(`GET /api/tasks answered ${status}: ${body?.error.message ?? 'no error body'}`);
    this.name = 'TaskListError';
  }
}

/**
 * Every page of the caller's tasks for one query, first to last, each requested when the
 * previous one has been consumed, following `next_cursor`: deep pages cost what the first does,
 * and tasks created or deleted meanwhile neither shift nor repeat them (offset pages would).
 */
export async function* taskPages(
  client: TaskApiClient,
  query: TaskPagesQuery = {},
  options: { signal?: AbortSignal } = {},
): AsyncGenerator<TaskList, void, undefined> {
  let cursor: string | null = null;
  do {
    const pageQuery: TaskPagesQuery & { cursor?: string } =
      cursor === null ? query : { ...query, cursor };
    const answer = await client.GET('/api/tasks', {
      params: { query: pageQuery },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const page: TaskList | undefined = answer.data;
    if (!page) throw new TaskListError(answer.response.status, answer.error);
    yield page;
    cursor = page.next_cursor;
  } while (cursor !== null);
}

/** The tasks of every page of {@link taskPages}, one at a time. */
export async function* allTasks(
  client: TaskApiClient,
  query: TaskPagesQuery = {},
  options: { signal?: AbortSignal } = {},
): AsyncGenerator<Task, void, undefined> {
  for await (const page of taskPages(client, query, options)) yield* page.items;
}
