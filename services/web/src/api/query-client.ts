import { QueryClient } from '@tanstack/react-query';
import { SignedOutError } from '@todo/api-client';
import { ApiRequestError } from './api-error';

/**
 * Retries what may pass (network loss, 5xx, 429) a few times; never a refused request or an
 * ended session. While the browser is offline, queries wait and run again when it is back
 * (TanStack Query's default online mode), which is how the list recovers by itself.
 */
export function shouldRetry(failures: number, error: unknown): boolean {
  if (error instanceof SignedOutError) return false;
  if (error instanceof ApiRequestError && error.status < 500 && error.status !== 429) return false;
  return failures < 3;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000 },
      mutations: { retry: false },
    },
  });
}
