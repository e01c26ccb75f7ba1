import type { QueryClient } from '@tanstack/react-query';
import type { Task, TaskList } from '@todo/api-client';
import { taskKeys } from '../tasks/task-keys';
import type { ListQuery } from '../tasks/task-types';
import {
  applyChangeToList,
  withKnownVersion,
  type IncomingChange,
  type TaskChange,
} from './task-list-updates';

/** How long after the last change the shown lists are refetched, to settle order and totals. */
export const SETTLE_DELAY_MS = 1000;

/**
 * Applies task changes (from the live stream or a mutation's own answer) to every cached list
 * page and task at once, then refetches the lists shown once the changes stop coming, so
 * what one page cannot know (a task moving to another page) is settled by the server.
 */
export function createTaskCache(queryClient: QueryClient) {
  let settleTimer: ReturnType<typeof setTimeout> | undefined;

  const settleSoon = () => {
    clearTimeout(settleTimer);
    settleTimer = setTimeout(() => {
      void queryClient.invalidateQueries({ queryKey: taskKeys.lists });
    }, SETTLE_DELAY_MS);
  };

  const listQueries = () => queryClient.getQueryCache().findAll({ queryKey: taskKeys.lists });

  /** The copy of a task the cache holds: the task's own, or one a cached list shows. */
  const cachedCopy = (id: string): Task | undefined => {
    const own = queryClient.getQueryData<Task>(taskKeys.detail(id));
    if (own) return own;
    for (const query of listQueries()) {
      const found = (query.state.data as TaskList | undefined)?.items.find((t) => t.id === id);
      if (found) return found;
    }
    return undefined;
  };

  const applyTask = (change: TaskChange): void => {
    for (const query of listQueries()) {
      const listQuery = query.queryKey[2] as ListQuery;
      queryClient.setQueryData<TaskList>(query.queryKey, (list) =>
        list ? applyChangeToList(list, listQuery, change) : list,
      );
    }
    if (change.kind === 'upsert') {
      queryClient.setQueryData<Task>(taskKeys.detail(change.task.id), (current) =>
        current && Date.parse(current.updated_at) > Date.parse(change.task.updated_at)
          ? current
          : change.task,
      );
    } else {
      queryClient.removeQueries({ queryKey: taskKeys.detail(change.taskId) });
    }
    settleSoon();
  };

  return {
    apply(change: IncomingChange): void {
      if (change.kind === 'delete') return applyTask(change);
      const task = withKnownVersion(change.task, cachedCopy(change.task.id));
      if (task) return applyTask({ kind: 'upsert', task });
      // A state with no known version: read from the server, which answers with it.
      void queryClient.invalidateQueries({ queryKey: taskKeys.detail(change.task.id) });
      void queryClient.invalidateQueries({ queryKey: taskKeys.lists });
    },
    /** Every list again from the server (changes were missed). */
    refetchLists(): Promise<void> {
      return queryClient.invalidateQueries({ queryKey: taskKeys.lists });
    },
    dispose(): void {
      clearTimeout(settleTimer);
    },
  };
}

export type TaskCache = ReturnType<typeof createTaskCache>;

const caches = new WeakMap<QueryClient, TaskCache>();

/** The one TaskCache of a QueryClient, shared by the stream and the mutations. */
export function taskCacheFor(queryClient: QueryClient): TaskCache {
  let cache = caches.get(queryClient);
  if (!cache) caches.set(queryClient, (cache = createTaskCache(queryClient)));
  return cache;
}
