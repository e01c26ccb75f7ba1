import { useQuery } from '@tanstack/react-query';
import { allTasks, type Task, type TaskList } from '@todo/api-client';
import { dataOf } from '../api/api-error';
import { useSignedIn } from '../auth/auth-context';
import { taskKeys } from '../tasks/task-keys';
import { SERIES_PAGE, seriesQuery, wholeList, type NextDatesPlan } from './series-occurrences';

/**
 * Every occurrence of `task`'s series, by the list's `series_id` filter, page after page by
 * cursor. Cached as one list under the list keys, as if a single page held them all, so the
 * live stream's changes reach it like any list's: a next occurrence appears here by itself.
 */
export function useSeriesTasks(task: Task) {
  const { api } = useSignedIn();
  const query = seriesQuery(task.series_id);
  return useQuery({
    queryKey: taskKeys.list(query),
    queryFn: async ({ signal }): Promise<TaskList> => {
      const items: Task[] = [];
      for await (const found of allTasks(
        api.client,
        { ...query, limit: SERIES_PAGE },
        { signal },
      )) {
        items.push(found);
      }
      return wholeList(items);
    },
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
