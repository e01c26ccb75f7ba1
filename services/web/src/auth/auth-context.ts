import { createContext, useContext } from 'react';
import type { Schemas } from '@todo/api-client';
import type { TaskApi } from '../api/task-api';

export type User = Schemas['User'];
export type RegisterRequest = Schemas['RegisterRequest'];

export type AuthState =
  | { status: 'restoring' }
  | { status: 'signed-out'; notice?: string }
  | { status: 'signed-in'; user: User }
  /** Restoring the session failed for a reason that may pass (network, 429, 5xx). */
  | { status: 'restore-failed'; error: unknown };

export interface Auth {
  state: AuthState;
  api: TaskApi;
  signIn(email: string, password: string): Promise<void>;
  signUp(request: RegisterRequest): Promise<void>;
  signOut(): Promise<void>;
  /** The profile changed (name, time zone): every page shows the new one. */
  userChanged(user: User): void;
  /** The session ended elsewhere (refused refresh, deleted account): back to the sign-in page. */
  sessionEnded(notice: string): void;
  retryRestore(): void;
}

/** What the sign-in page says after the account was deleted, here or on another device. */
export const ACCOUNT_DELETED_NOTICE = 'This account was deleted.';

export const AuthContext = createContext<Auth | undefined>(undefined);

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth needs an AuthProvider');
  return auth;
}

/** The signed-in user and their API; only under a route that requires signing in. */
export function useSignedIn(): { user: User; api: TaskApi } {
  const { state, api } = useAuth();
  if (state.status !== 'signed-in') throw new Error('useSignedIn outside a signed-in route');
  return { user: state.user, api };
}
