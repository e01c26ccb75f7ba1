import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Task } from '@todo/api-client';
import { ApiRequestError, dataOf } from '../api/api-error';
import { useSignedIn } from '../auth/auth-context';
import { useTaskList } from '../tasks/task-queries';
import { taskKeys } from '../tasks/task-keys';
import { MAX_EARLIER, SEARCH_LIMIT, type NextDatesPlan } from './series-occurrences';

/**
 * The earlier occurrences of `task`, walking `parent_task_id` back (at most MAX_EARLIER
 * requests, each cached as that task's detail). `complete` is false when the walk stopped at the
 * limit or at an occurrence since deleted.
 */
export function useEarlierOccurrences(task: Task) {
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: [...taskKeys.all, 'earlier', task.id, task.parent_task_id],
    queryFn: async ({ signal }) => {
      const earlier: Task[] = [];
      let parent = task.parent_task_id;
      while (parent && earlier.length < MAX_EARLIER) {
        const id = parent;
        try {
          const found = await queryClient.fetchQuery({
            queryKey: taskKeys.detail(id),
            queryFn: async () =>
              dataOf(await api.client.GET('/api/tasks/{id}', { params: { path: { id } }, signal })),
          });
          earlier.push(found);
          parent = found.parent_task_id;
        } catch (error) {
          if (error instanceof ApiRequestError && error.status === 404) break;
          throw error;
        }
      }
      return { earlier, complete: parent === null };
    },
  });
}

/**
 * Later occurrences: one list page searched by the title, which the live stream keeps current
 * like every list (a next occurrence appears here by itself). The caller keeps the series' own.
 */
export function useTitleSearch(task: Task) {
  return useTaskList({
    q: task.title.slice(0, 200),
    sort: 'due_date',
    order: 'asc',
    limit: SEARCH_LIMIT,
  });
}

/** The preview the plan asks for (none when there is no plan). */
export function useNextDates(plan: NextDatesPlan | undefined) {
  const { api } = useSignedIn();
  const query = plan?.kind === 'preview' ? plan.query : undefined;
  return useQuery({
    queryKey: ['recurrence-preview', 'series', query],
    enabled: query !== undefined,
    queryFn: async ({ signal }) =>
      dataOf(
        await api.client.GET('/api/recurrence/preview', { params: { query: query! }, signal }),
      ),
    staleTime: Infinity,
    retry: false,
  });
}
