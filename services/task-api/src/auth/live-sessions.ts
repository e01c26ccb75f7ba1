import type { Database } from '@todo/db';
import { LRUCache } from 'lru-cache';
import type { SessionsRepository } from './sessions.repository.js';

/**
 * How long "this session is live" is believed without asking PostgreSQL again: the bound within
 * which a session revoked on another replica (logout, token reuse, password change) or an account
 * deleted there stops its access tokens. The replica that revokes forgets its own entry at once.
 * Asking on every request would undo the verified-token cache's saving (access-tokens.ts); one
 * primary-key lookup per session per 10 s costs nothing.
 */
export const SESSION_CHECK_TTL_MS = 10_000;
const REMEMBERED_SESSIONS_MAX = 10_000;

/** `gone`: no such session for that user (the account was deleted, or the ended session purged). */
export type SessionState = 'live' | 'ended' | 'gone';

export interface LiveSessions {
  check(sessionId: string, userId: string): Promise<SessionState>;
  /** Stops believing these sessions live on this replica (it just revoked them). */
  forget(sessionIds: readonly string[]): void;
  /** Stops believing any session of this user live on this replica (the account is gone). */
  forgetUser(userId: string): void;
}

/** The session a long-lived connection (a live stream) was opened in. */
export interface SessionRef {
  sessionId: string;
  userId: string;
}

/** Of these sessions, the ids of those that are no longer live. */
export type EndedSessions = (sessions: readonly SessionRef[]) => Promise<Set<string>>;

/**
 * Asks PostgreSQL, in one query and without the cache above, which of these sessions have ended
 * or are gone: the live stream asks it for every open stream's session on each heartbeat, so a
 * stream outlives its session by at most one heartbeat interval on any replica, at the cost of one
 * query per interval per replica whatever the number of streams.
 */
export function createEndedSessions(deps: {
  db: Database;
  repo: Pick<SessionsRepository, 'findSessions'>;
  now?: () => number;
}): EndedSessions {
  const now = deps.now ?? Date.now;
  return async (sessions) => {
    const rows = await deps.repo.findSessions(deps.db, [
      ...new Set(sessions.map((s) => s.sessionId)),
    ]);
    const live = new Set(
      rows
        .filter((row) => !row.revokedAt && row.expiresAt.getTime() > now())
        .map((row) => `${row.id} ${row.userId}`),
    );
    return new Set(
      sessions.filter((s) => !live.has(`${s.sessionId} ${s.userId}`)).map((s) => s.sessionId),
    );
  };
}

export function createLiveSessions(deps: {
  db: Database;
  repo: Pick<SessionsRepository, 'findSession'>;
  /** Epoch milliseconds; tests move it instead of sleeping. */
  now?: () => number;
  ttlMs?: number;
}): LiveSessions {
  const { db, repo } = deps;
  const now = deps.now ?? Date.now;
  const ttlMs = deps.ttlMs ?? SESSION_CHECK_TTL_MS;
  // Only live answers are kept, each no longer than the session itself lasts: ended and unknown
  // sessions cannot become live again, and tokens naming them are refused on every request.
  const live = new LRUCache<string, { userId: string; untilMs: number }>({
    max: REMEMBERED_SESSIONS_MAX,
  });
  return {
    async check(sessionId, userId) {
      const known = live.get(sessionId);
      if (known?.userId === userId && now() < known.untilMs) return 'live';
      const session = await repo.findSession(db, sessionId, userId);
      if (!session) return 'gone';
      const endsMs = session.expiresAt.getTime();
      if (session.revokedAt || endsMs <= now()) return 'ended';
      live.set(sessionId, { userId, untilMs: Math.min(now() + ttlMs, endsMs) });
      return 'live';
    },
    forget(sessionIds) {
      for (const id of sessionIds) live.delete(id);
    },
    forgetUser(userId) {
      for (const [id, entry] of live.entries()) if (entry.userId === userId) live.delete(id);
    },
  };
}
