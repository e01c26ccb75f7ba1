import type { Database, Executor } from '@todo/db';
import { AppError } from '@todo/service-runtime';
import type { AccessTokens } from './access-tokens.js';
import type { LiveSessions } from './live-sessions.js';
import { hashRefreshToken, newRefreshToken } from './refresh-tokens.js';
import type { RevokedReason, SessionRow, SessionsRepository } from './sessions.repository.js';

/** Default absolute lifetime of a session (SESSION_TTL_SECONDS): refreshing never extends it. */
export const DEFAULT_SESSION_TTL_SECONDS = 30 * 24 * 3600;

/** Ended sessions are deleted this long after they ended (kept a day for whoever investigates). */
const ENDED_SESSION_RETENTION_MS = 24 * 3600 * 1000;
/** How often a replica purges ended sessions, piggybacking on sign-ins. */
const PURGE_INTERVAL_MS = 3600 * 1000;

/** A fresh pair: what register, login and refresh hand out. */
export interface IssuedSession {
  sessionId: string;
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshToken: string;
  /** When the session ends, whatever refreshes happen: the refresh cookie's expiry. */
  sessionExpiresAt: Date;
  /** Seconds from now until `sessionExpiresAt`. */
  refreshExpiresIn: number;
}

type Rotation =
  | { kind: 'rotated'; session: SessionRow; refreshToken: string }
  | { kind: 'unknown' }
  | { kind: 'ended' }
  | { kind: 'reused'; sessionId: string };

/**
 * Sessions: one row per sign-in (a family of refresh tokens, each used once) with an absolute
 * expiry, and the short-lived access tokens issued in it. Refresh is strict: a token presented a
 * second time, even a millisecond later, is reuse and ends the whole family (README: why no grace
 * window).
 */
export function createSessionService(deps: {
  db: Database;
  repo: SessionsRepository;
  tokens: AccessTokens;
  live: LiveSessions;
  sessionTtlSeconds: number;
  /** Epoch milliseconds; the same clock as the access tokens' in tests. */
  now?: () => number;
  onPurgeError?: (error: unknown) => void;
}) {
  const { db, repo, tokens, live } = deps;
  const clock = deps.now ?? Date.now;
  let lastPurgeMs: number | undefined;

  async function issue(session: SessionRow, refreshToken: string, now: Date) {
    const { token, expiresIn } = await tokens.issue(session.userId, session.id);
    return {
      sessionId: session.id,
      accessToken: token,
      expiresIn,
      refreshToken,
      sessionExpiresAt: session.expiresAt,
      refreshExpiresIn: Math.max(
        0,
        Math.floor((session.expiresAt.getTime() - now.getTime()) / 1000),
      ),
    };
  }

  /** Not on a timer: an idle replica holds nothing open, and any busy one does it for all. */
  function purgeNowAndThen(now: Date) {
    if (lastPurgeMs !== undefined && now.getTime() - lastPurgeMs < PURGE_INTERVAL_MS) return;
    lastPurgeMs = now.getTime();
    repo
      .deleteEndedBefore(db, new Date(now.getTime() - ENDED_SESSION_RETENTION_MS))
      .catch((error: unknown) => deps.onPurgeError?.(error));
  }

  async function revokeByToken(tx: Executor, tokenHash: string, reason: RevokedReason, now: Date) {
    const sessionId = await repo.sessionIdOfToken(tx, tokenHash);
    if (sessionId) await repo.revokeSession(tx, sessionId, reason, now);
    return sessionId;
  }

  return {
    /** A new session for a user who just proved who they are (register, login). */
    async start(userId: string): Promise<IssuedSession> {
      const now = new Date(clock());
      purgeNowAndThen(now);
      const refresh = newRefreshToken();
      const session = await db.transaction(async (tx) => {
        const created = await repo.insertSession(tx, {
          userId,
          createdAt: now,
          expiresAt: new Date(now.getTime() + deps.sessionTtlSeconds * 1000),
        });
        await repo.insertRefreshToken(tx, {
          tokenHash: refresh.hash,
          sessionId: created.id,
          issuedAt: now,
          expiresAt: created.expiresAt,
        });
        return created;
      });
      return issue(session, refresh.token, now);
    },

    /**
     * Consumes a refresh token and issues the next pair of its session. The session row is locked
     * first, so rotations and revocations of one session run one at a time; of two requests with
     * the same token exactly one rotates, and the other is reuse.
     */
    async refresh(refreshToken: string): Promise<IssuedSession> {
      const now = new Date(clock());
      const hash = hashRefreshToken(refreshToken);
      const rotation = await db.transaction(async (tx): Promise<Rotation> => {
        const sessionId = await repo.sessionIdOfToken(tx, hash);
        const session = sessionId ? await repo.lockSession(tx, sessionId) : undefined;
        if (!session) return { kind: 'unknown' };
        const consumed = await repo.consumeToken(tx, hash, now);
        if (!consumed) {
          // Committed although the request fails: whoever holds the family's newest token (the
          // thief or the victim) loses it too.
          await repo.revokeSession(tx, session.id, 'reuse', now);
          return { kind: 'reused', sessionId: session.id };
        }
        const endsMs = Math.min(session.expiresAt.getTime(), consumed.expiresAt.getTime());
        if (session.revokedAt || endsMs <= now.getTime()) return { kind: 'ended' };
        const next = newRefreshToken();
        await repo.insertRefreshToken(tx, {
          tokenHash: next.hash,
          sessionId: session.id,
          issuedAt: now,
          expiresAt: session.expiresAt,
        });
        await repo.markRefreshed(tx, session.id, now);
        return { kind: 'rotated', session, refreshToken: next.token };
      });
      switch (rotation.kind) {
        case 'rotated':
          return issue(rotation.session, rotation.refreshToken, now);
        case 'reused':
          live.forget([rotation.sessionId]);
          throw new AppError(
            'unauthenticated',
            'refresh token already used: the session is revoked, sign in again',
          );
        case 'ended':
          throw new AppError('unauthenticated', 'session has ended, sign in again');
        case 'unknown':
          throw new AppError('unauthenticated', 'unknown refresh token');
      }
    },

    /** Ends the session a refresh token (used or not) belongs to; nothing if it names none. */
    async endByRefreshToken(refreshToken: string): Promise<void> {
      const now = new Date(clock());
      const hash = hashRefreshToken(refreshToken);
      const sessionId = await db.transaction((tx) => revokeByToken(tx, hash, 'logout', now));
      if (sessionId) live.forget([sessionId]);
    },

    /** Ends one session (logout by access token). */
    async end(sessionId: string): Promise<void> {
      await repo.revokeSession(db, sessionId, 'logout', new Date(clock()));
      live.forget([sessionId]);
    },

    /** Ends every other session of the user, in the caller's transaction; returns their ids. */
    endOthers(tx: Executor, userId: string, keepSessionId: string): Promise<string[]> {
      return repo.revokeOtherSessions(
        tx,
        userId,
        keepSessionId,
        'password_changed',
        new Date(clock()),
      );
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
