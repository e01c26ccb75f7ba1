import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  deleteTask,
  setTaskDone,
  TaskWriteError,
  updateTask,
  type Schemas,
  type Task,
  type TaskWriteResult,
} from '@todo/api-client';
import { ApiRequestError, dataOf } from '../api/api-error';
import { useSignedIn } from '../auth/auth-context';
import { taskCacheFor } from '../stream/task-cache';
import { TaskConflictError, type SeenTask } from './task-conflict';
import { taskKeys } from './task-keys';
import type { ListQuery } from './task-types';

export type CreateTaskBody = Schemas['CreateTaskRequest'];
export type PatchTaskBody = Schemas['PatchTaskRequest'];

/** One page of the list; the previous page stays shown while the next one loads. */
export function useTaskList(query: ListQuery) {
  const { api } = useSignedIn();
  return useQuery({
    queryKey: taskKeys.list(query),
    queryFn: async ({ signal }) =>
      dataOf(await api.client.GET('/api/tasks', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useTask(id: string) {
  const { api } = useSignedIn();
  return useQuery({
    queryKey: taskKeys.detail(id),
    queryFn: async ({ signal }) =>
      dataOf(await api.client.GET('/api/tasks/{id}', { params: { path: { id } }, signal })),
  });
}

/** A conditional write's result as the caches and pages take it: the task, or a thrown error. */
async function settle<T>(seen: SeenTask, write: Promise<TaskWriteResult<T>>): Promise<T> {
  try {
    const result = await write;
    if (result.ok) return result.task;
    throw new TaskConflictError(result.current, seen);
  } catch (error) {
    if (error instanceof TaskWriteError) throw new ApiRequestError(error.status, error.body);
    throw error;
  }
}

/**
 * The task writes. Each answer goes into the caches at once, the same way the live stream's
 * events do (the stream's copy of the same change then finds nothing new). Every change of an
 * existing task is conditional on the state it was made from (`If-Match` with the seen task's
 * version): a change made meanwhile elsewhere is a TaskConflictError with the task as it is now,
 * which also goes into the caches, never a silent overwrite.
 */
export function useTaskMutations() {
  const { api } = useSignedIn();
  const cache = taskCacheFor(useQueryClient());
  const upserted = (task: Task) => cache.apply({ kind: 'upsert', task });
  const conflicted = (error: unknown) => {
    if (error instanceof TaskConflictError) upserted(error.current);
  };
  const doneOptions = (change: 'complete' | 'reopen') => ({
    mutationFn: (seen: SeenTask) => settle(seen, setTaskDone(api.client, seen, change)),
    onSuccess: upserted,
    onError: conflicted,
  });

  return {
    create: useMutation({
      mutationFn: async (body: CreateTaskBody) =>
        dataOf(await api.client.POST('/api/tasks', { body })),
      onSuccess: upserted,
    }),
    update: useMutation({
      mutationFn: ({ seen, body }: { seen: SeenTask; body: PatchTaskBody }) =>
        settle(seen, updateTask(api.client, seen, body)),
      onSuccess: upserted,
      onError: conflicted,
    }),
    complete: useMutation(doneOptions('complete')),
    reopen: useMutation(doneOptions('reopen')),
    remove: useMutation({
      mutationFn: async (seen: SeenTask) => {
        await settle(seen, deleteTask(api.client, seen));
        return seen.id;
      },
      onSuccess: (taskId) => cache.apply({ kind: 'delete', taskId }),
      onError: conflicted,
    }),
  };
}
