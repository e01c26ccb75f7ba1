import { useQuery } from '@tanstack/react-query';
import { dataOf } from '../api/api-error';
import { useSignedIn } from '../auth/auth-context';
import { useDebounced } from './use-debounced';

/**
 * What a rule means, in the API's own words, and its next occurrences from `start` (the due
 * date, or now): the preview endpoint, asked once the user pauses typing.
 */
export function useRulePreview(rrule: string, start: string, zone: string) {
  const { api } = useSignedIn();
  const settled = useDebounced({ rrule: rrule.trim(), start }, 400);
  return useQuery({
    queryKey: ['recurrence-preview', settled.rrule, settled.start, zone],
    enabled: settled.rrule !== '',
    queryFn: async ({ signal }) =>
      dataOf(
        await api.client.GET('/api/recurrence/preview', {
          params: { query: { rrule: settled.rrule, start: settled.start, tz: zone, count: 3 } },
          signal,
        }),
      ),
    staleTime: Infinity,
    retry: false,
  });
}
