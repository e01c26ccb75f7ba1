import type { TaskApiClient } from './create-task-api-client.js';
import type { ApiError, Schemas, StreamedTask, Task } from './types.js';

/**
 * Writes of one task that send `If-Match` with the version the caller last saw, so a change made
 * meanwhile by another tab, device or the recurrence engine is never overwritten silently: the
 * answer is then a conflict carrying the task as it is now, to show and to retry with.
 */
export type TaskWriteResult<T = Task> =
  | { ok: true; task: T }
  /** Nothing was changed; `current` is the task now (its `version` is the one to retry with). */
  | { ok: false; current: Task };

/** A write the API refused for another reason than a conflict (a 4xx or 5xx answer). */
export class TaskWriteError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError | undefined,
  ) {
    super(`task write answered ${status}: ${body?.error.message ?? 'no error body'}`);
    this.name = 'TaskWriteError';
  }
}

/** The task's `ETag`, as task-api sends it: `"v<version>"`. */
export const etagOf = (task: Pick<StreamedTask, 'version'>): string | undefined =>
  task.version === undefined ? undefined : `"v${task.version}"`;

/**
 * The task as the caller saw it: its id, and the state its version (or update time) names. Any
 * REST answer has a version; a stream change may not (`StreamedTask`).
 */
export type SeenTask = Pick<StreamedTask, 'id' | 'version' | 'updated_at'>;

type Answer = {
  data?: unknown;
  error?: unknown;
  response: Response;
};

/**
 * The `If-Match` for a task the caller saw. A task seen without `version` (a stream change
 * recorded before task-api's change log stored versions) is read first: if it changed since
 * (another `updated_at`), that is already a conflict; otherwise its version is the one seen.
 */
async function ifMatchFor(
  client: TaskApiClient,
  seen: SeenTask,
): Promise<{ ifMatch: string } | { current: Task }> {
  const etag = etagOf(seen);
  if (etag) return { ifMatch: etag };
  const read = await client.GET('/api/tasks/{id}', { params: { path: { id: seen.id } } });
  if (!read.data) throw new TaskWriteError(read.response.status, read.error);
  if (read.data.updated_at !== seen.updated_at) return { current: read.data };
  return { ifMatch: etagOf(read.data)! };
}

function resultOf<T>(answer: Answer, value: (data: unknown) => T): TaskWriteResult<T> {
  if (answer.response.ok) return { ok: true, task: value(answer.data) };
  if (answer.response.status === 412) {
    return { ok: false, current: (answer.error as Schemas['PreconditionFailed']).current };
  }
  throw new TaskWriteError(answer.response.status, answer.error as ApiError | undefined);
}

async function conditional<T>(
  client: TaskApiClient,
  seen: SeenTask,
  send: (headers: { 'If-Match': string }) => Promise<Answer>,
  value: (data: unknown) => T,
): Promise<TaskWriteResult<T>> {
  const precondition = await ifMatchFor(client, seen);
  if ('current' in precondition) return { ok: false, current: precondition.current };
  return resultOf(await send({ 'If-Match': precondition.ifMatch }), value);
}

const asTask = (data: unknown) => data as Task;
const path = (seen: SeenTask) => ({ path: { id: seen.id } });

/** `PATCH /api/tasks/{id}` if the task is still as seen. */
export function updateTask(
  client: TaskApiClient,
  seen: SeenTask,
  patch: Schemas['PatchTaskRequest'],
): Promise<TaskWriteResult> {
  return conditional(
    client,
    seen,
    (header) => client.PATCH('/api/tasks/{id}', { params: { ...path(seen), header }, body: patch }),
    asTask,
  );
}

/** `PUT /api/tasks/{id}` (omitted fields return to defaults) if the task is still as seen. */
export function replaceTask(
  client: TaskApiClient,
  seen: SeenTask,
  body: Schemas['ReplaceTaskRequest'],
): Promise<TaskWriteResult> {
  return conditional(
    client,
    seen,
    (header) => client.PUT('/api/tasks/{id}', { params: { ...path(seen), header }, body }),
    asTask,
  );
}

/** Mark done, pending again, or flip, if the task is still as seen. */
export function setTaskDone(
  client: TaskApiClient,
  seen: SeenTask,
  change: 'complete' | 'reopen' | 'toggle',
): Promise<TaskWriteResult> {
  return conditional(
    client,
    seen,
    (header) => {
      const params = { ...path(seen), header };
      if (change === 'toggle') return client.PATCH('/api/tasks/{id}/toggle', { params });
      return change === 'complete'
        ? client.POST('/api/tasks/{id}/complete', { params })
        : client.POST('/api/tasks/{id}/reopen', { params });
    },
    asTask,
  );
}

/** `DELETE /api/tasks/{id}` if the task is still as seen. */
export function deleteTask(client: TaskApiClient, seen: SeenTask): Promise<TaskWriteResult<null>> {
  return conditional(
    client,
    seen,
    (header) => client.DELETE('/api/tasks/{id}', { params: { ...path(seen), header } }),
    () => null,
  );
}
