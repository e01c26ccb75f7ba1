import type { ListQuery } from './task-types';

/** The query keys of the task caches: every list page under one prefix, each task by id. */
export const taskKeys = {
  all: ['tasks'] as const,
  lists: ['tasks', 'list'] as const,
  list: (query: ListQuery) => ['tasks', 'list', query] as const,
  detail: (id: string) => ['tasks', 'detail', id] as const,
};
