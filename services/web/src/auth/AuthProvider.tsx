import { useQueryClient } from '@tanstack/react-query';
import { SignedOutError } from '@todo/api-client';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { dataOf } from '../api/api-error';
import { createTaskApi, type TaskApi } from '../api/task-api';
import {
  AuthContext,
  type Auth,
  type AuthState,
  type RegisterRequest,
  type User,
} from './auth-context';

/**
 * The user's session for the whole app. On load it asks task-api for a new access token with
 * the refresh cookie (so a signed-in user stays signed in across reloads, with no token in
 * storage), then who the user is.
 */
export function AuthProvider({ baseUrl, children }: { baseUrl: string; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [api, setApi] = useState<TaskApi>(() => createTaskApi(baseUrl));
  const [state, setState] = useState<AuthState>({ status: 'restoring' });
  const [attempt, setAttempt] = useState(0);
  const restoring = useRef<Promise<void> | undefined>(undefined);

  useEffect(() => {
    // One restore per attempt, also when React runs this effect twice in development.
    restoring.current ??= (async () => {
      try {
        await api.session.refreshAccessToken();
        const user = dataOf(await api.client.GET('/api/auth/me'));
        setState({ status: 'signed-in', user });
      } catch (error) {
        setState(
          error instanceof SignedOutError
            ? { status: 'signed-out' }
            : { status: 'restore-failed', error },
        );
      }
    })();
  }, [api, attempt]);

  const endLocally = useCallback(
    (notice?: string): void => {
      queryClient.clear();
      // A fresh session object: nothing of the old one's tokens is reused.
      setApi(createTaskApi(baseUrl));
      restoring.current = Promise.resolve();
      setState(notice ? { status: 'signed-out', notice } : { status: 'signed-out' });
    },
    [baseUrl, queryClient],
  );

  // A refresh refused anywhere (a query, a mutation) means the session is over everywhere.
  useEffect(() => {
    const ended = (error: unknown) => {
      if (error instanceof SignedOutError)
        endLocally('Your session has ended. Please sign in again.');
    };
    const stopQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') ended(event.action.error);
    });
    const stopMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') ended(event.action.error);
    });
    return () => {
      stopQueries();
      stopMutations();
    };
  }, [queryClient, endLocally]);

  const auth = useMemo<Auth>(
    () => ({
      state,
      api,
      async signIn(email, password) {
        const answer = dataOf(
          await api.client.POST('/api/auth/login', {
            body: { email, password },
            credentials: 'include',
          }),
        );
        api.session.signedIn(answer);
        setState({ status: 'signed-in', user: answer.user });
      },
      async signUp(request: RegisterRequest) {
        const answer = dataOf(
          await api.client.POST('/api/auth/register', { body: request, credentials: 'include' }),
        );
        api.session.signedIn(answer);
        setState({ status: 'signed-in', user: answer.user });
      },
      async signOut() {
        try {
          // The cookie names the session; X-CSRF is what task-api asks of a cookie-authenticated call.
          await api.client.POST('/api/auth/logout', {
            headers: { 'X-CSRF': '1' },
            credentials: 'include',
          });
        } finally {
          endLocally();
        }
      },
      userChanged(user: User) {
        setState({ status: 'signed-in', user });
      },
      // Stable across renders: the live stream restarts only for another session.
      sessionEnded: endLocally,
      retryRestore() {
        restoring.current = undefined;
        setState({ status: 'restoring' });
        setAttempt((n) => n + 1);
      },
    }),
    [state, api, endLocally],
  );

  return <AuthContext.Provider value={auth}>{children}</AuthContext.Provider>;
}
