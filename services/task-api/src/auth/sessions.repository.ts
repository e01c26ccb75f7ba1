import { and, eq, inArray, isNull, lt, ne, or } from 'drizzle-orm';
import { authSessions, refreshTokens, type Executor } from '@todo/db';

/** Why a session ended (`auth_sessions.revoked_reason`). */
export type RevokedReason = 'logout' | 'reuse' | 'password_changed';

export interface SessionRow {
  id: string;
  userId: string;
  expiresAt: Date;
  revokedAt: Date | null;
}

const sessionColumns = {
  id: authSessions.id,
  userId: authSessions.userId,
  expiresAt: authSessions.expiresAt,
  revokedAt: authSessions.revokedAt,
};

/** Sessions (refresh-token families) and their refresh tokens, stored as hashes. */
export function createSessionsRepository() {
  return {
    async insertSession(
      db: Executor,
      values: { userId: string; createdAt: Date; expiresAt: Date },
    ): Promise<SessionRow> {
      const rows = await db.insert(authSessions).values(values).returning(sessionColumns);
      return rows[0]!;
    },

    async insertRefreshToken(
      db: Executor,
      values: { tokenHash: string; sessionId: string; issuedAt: Date; expiresAt: Date },
    ): Promise<void> {
      await db.insert(refreshTokens).values(values);
    },

    /** The session a refresh token belongs to, used or not. */
    async sessionIdOfToken(db: Executor, tokenHash: string): Promise<string | undefined> {
      const rows = await db
        .select({ sessionId: refreshTokens.sessionId })
        .from(refreshTokens)
        .where(eq(refreshTokens.tokenHash, tokenHash));
      return rows[0]?.sessionId;
    },

    /** The session, locked until the transaction ends: rotations and revocations of it queue. */
    async lockSession(db: Executor, id: string): Promise<SessionRow | undefined> {
      const rows = await db
        .select(sessionColumns)
        .from(authSessions)
        .where(eq(authSessions.id, id))
        .for('update');
      return rows[0];
    },

    /**
     * Marks the token used, once: of two transactions consuming the same token, the second's
     * UPDATE waits for the first's row lock, re-reads `used_at` and matches nothing. Undefined
     * means the token was already used (or is unknown).
     */
    async consumeToken(
      db: Executor,
      tokenHash: string,
      now: Date,
    ): Promise<{ expiresAt: Date } | undefined> {
      const rows = await db
        .update(refreshTokens)
        .set({ usedAt: now })
        .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.usedAt)))
        .returning({ expiresAt: refreshTokens.expiresAt });
      return rows[0];
    },

    async markRefreshed(db: Executor, id: string, now: Date): Promise<void> {
      await db.update(authSessions).set({ lastRefreshedAt: now }).where(eq(authSessions.id, id));
    },

    /** Ends a session unless it already ended (the first reason stays). True when this call ended it. */
    async revokeSession(
      db: Executor,
      id: string,
      reason: RevokedReason,
      now: Date,
    ): Promise<boolean> {
      const rows = await db
        .update(authSessions)
        .set({ revokedAt: now, revokedReason: reason })
        .where(and(eq(authSessions.id, id), isNull(authSessions.revokedAt)))
        .returning({ id: authSessions.id });
      return rows.length > 0;
    },

    /** Ends every live session of the user but one; returns the ids it ended. */
    async revokeOtherSessions(
      db: Executor,
      userId: string,
      keepId: string,
      reason: RevokedReason,
      now: Date,
    ): Promise<string[]> {
      const rows = await db
        .update(authSessions)
        .set({ revokedAt: now, revokedReason: reason })
        .where(
          and(
            eq(authSessions.userId, userId),
            ne(authSessions.id, keepId),
            isNull(authSessions.revokedAt),
          ),
        )
        .returning({ id: authSessions.id });
      return rows.map((row) => row.id);
    },

    /** The session as requireAuth needs it; undefined when it (or its account) no longer exists. */
    async findSession(db: Executor, id: string, userId: string): Promise<SessionRow | undefined> {
      const rows = await db
        .select(sessionColumns)
        .from(authSessions)
        .where(and(eq(authSessions.id, id), eq(authSessions.userId, userId)));
      return rows[0];
    },

    /** These sessions, those that still exist, in one primary-key lookup. */
    async findSessions(db: Executor, ids: readonly string[]): Promise<SessionRow[]> {
      if (ids.length === 0) return [];
      return db
        .select(sessionColumns)
        .from(authSessions)
        .where(inArray(authSessions.id, [...ids]));
    },

    /**
     * Deletes sessions (their tokens go by cascade) that ended before `before`: an ended session
     * refuses its tokens anyway, and without this every login would leave rows behind for good.
     */
    async deleteEndedBefore(db: Executor, before: Date): Promise<number> {
      const rows = await db
        .delete(authSessions)
        .where(or(lt(authSessions.expiresAt, before), lt(authSessions.revokedAt, before)))
        .returning({ id: authSessions.id });
      return rows.length;
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
