import { useQuery } from '@tanstack/react-query';
import { dataOf } from '../api/api-error';
import { useSignedIn } from '../auth/auth-context';
import { useDebounced } from '../tasks/use-debounced';

/** How many next occurrences the form shows. */
export const PREVIEW_COUNT = 5;

/**
 * What a rule means, in the API's own words, and its next occurrences from `start` (the due
 * date, or now): the preview endpoint, asked once the user pauses typing. A request whose rule
 * changed meanwhile is aborted: TanStack Query cancels a query nothing observes any more when its
 * `signal` was handed to fetch.
 */
export function useRulePreview(rrule: string, start: string, zone: string) {
  const { api } = useSignedIn();
  // Debounced as one string: an object would be new on every render and never settle.
  const [settledRule = '', settledStart = '', settledZone = ''] = JSON.parse(
    useDebounced(JSON.stringify([rrule.trim(), start, zone]), 400),
  ) as string[];
  const settled = { rrule: settledRule, start: settledStart, zone: settledZone };
  return useQuery({
    queryKey: ['recurrence-preview', settled.rrule, settled.start, settled.zone],
    enabled: settled.rrule !== '',
    queryFn: async ({ signal }) =>
      dataOf(
        await api.client.GET('/api/recurrence/preview', {
          params: {
            query: {
              rrule: settled.rrule,
              start: settled.start,
              tz: settled.zone,
              count: PREVIEW_COUNT,
            },
          },
          signal,
        }),
      ),
    staleTime: Infinity,
    retry: false,
  });
}
