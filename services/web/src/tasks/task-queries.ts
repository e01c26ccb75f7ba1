import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Schemas, Task } from '@todo/api-client';
import { dataOf } from '../api/api-error';
import { useSignedIn } from '../auth/auth-context';
import { taskCacheFor } from '../stream/task-cache';
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

/**
 * The task writes. Each answer goes into the caches at once, the same way the live stream's
 * events do (the stream's copy of the same change then finds nothing new).
 */
export function useTaskMutations() {
  const { api } = useSignedIn();
  const cache = taskCacheFor(useQueryClient());
  const upserted = (task: Task) => cache.apply({ kind: 'upsert', task });
  const path = (id: string) => ({ params: { path: { id } } });

  return {
    create: useMutation({
      mutationFn: async (body: CreateTaskBody) =>
        dataOf(await api.client.POST('/api/tasks', { body })),
      onSuccess: upserted,
    }),
    update: useMutation({
      mutationFn: async ({ id, body }: { id: string; body: PatchTaskBody }) =>
        dataOf(await api.client.PATCH('/api/tasks/{id}', { ...path(id), body })),
      onSuccess: upserted,
    }),
    complete: useMutation({
      mutationFn: async (id: string) =>
        dataOf(await api.client.POST('/api/tasks/{id}/complete', path(id))),
      onSuccess: upserted,
    }),
    reopen: useMutation({
      mutationFn: async (id: string) =>
        dataOf(await api.client.POST('/api/tasks/{id}/reopen', path(id))),
      onSuccess: upserted,
    }),
    remove: useMutation({
      mutationFn: async (id: string) => {
        dataOf(await api.client.DELETE('/api/tasks/{id}', path(id)));
        return id;
      },
      onSuccess: (taskId) => cache.apply({ kind: 'delete', taskId }),
    }),
  };
}
