import { useQueryClient } from '@tanstack/react-query';
import { SignedOutError, streamTaskChanges } from '@todo/api-client';
import { useEffect, useState } from 'react';
import type { TaskApi } from '../api/task-api';
import { ACCOUNT_DELETED_NOTICE } from '../auth/auth-context';
import { taskCacheFor } from './task-cache';
import { actionForEvent } from './task-list-updates';

export type StreamStatus =
  | { state: 'connecting' }
  | { state: 'live' }
  | { state: 'reconnecting'; delayMs: number }
  | { state: 'failed'; message: string };

/**
 * Keeps the task caches in step with the user's live stream while they are signed in: every
 * change, from this tab, another tab or device, or the recurrence engine (the next occurrence
 * of a completed task), lands in the lists it belongs to. The client reconnects by itself and
 * resumes where it was (Last-Event-ID), so a network loss costs nothing once it is over.
 */
export function useTaskStream(
  api: TaskApi,
  onSessionEnded: (notice: string) => void,
): StreamStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<StreamStatus>({ state: 'connecting' });

  useEffect(() => {
    const controller = new AbortController();
    const cache = taskCacheFor(queryClient);
    setStatus({ state: 'connecting' });
    streamTaskChanges({
      baseUrl: api.baseUrl,
      getAccessToken: api.session.getAccessToken,
      refreshAccessToken: api.session.refreshAccessToken,
      signal: controller.signal,
      // The stream is open once its answer starts; events may not come for a while.
      fetch: async (request) => {
        const response = await fetch(request);
        if (response.ok && !controller.signal.aborted) setStatus({ state: 'live' });
        return response;
      },
      onReconnect: ({ delayMs }) => setStatus({ state: 'reconnecting', delayMs }),
      onEvent(event) {
        const action = actionForEvent(event);
        if (action.kind === 'change') cache.apply(action.change);
        else if (action.kind === 'refetch') void cache.refetchLists();
        else if (action.kind === 'signed-out') onSessionEnded(ACCOUNT_DELETED_NOTICE);
      },
    }).catch((error: unknown) => {
      if (controller.signal.aborted) return;
      if (error instanceof SignedOutError) {
        onSessionEnded('Your session has ended. Please sign in again.');
      } else {
        setStatus({
          state: 'failed',
          message: error instanceof Error ? error.message : String(error),
        });
      }
    });
    return () => controller.abort();
  }, [api, queryClient, onSessionEnded]);

  return status;
}
