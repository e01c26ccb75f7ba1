import { randomUUID } from 'node:crypto';
import { ACCOUNT_DELETED_CHANGE } from '@todo/contracts';
import { eq } from 'drizzle-orm';
import { appendTaskChanges, tasks, users, type Executor } from '@todo/db';

/** The statements of one account deletion, run in one transaction (account.service.ts). */
export function createAccountDeletionRepository() {
  return {
    /**
     * Locks the user's tasks before the user row. The recurrence engine locks a task and then
     * inserts its child, whose foreign key locks the user row; deleting the user first would take
     * those locks in the opposite order and deadlock with a child being created. Taken this way
     * round, the deletion waits for that child, then deletes it with the rest.
     */
    async lockTasksOf(tx: Executor, userId: string): Promise<void> {
      await tx.select({ id: tasks.id }).from(tasks).where(eq(tasks.userId, userId)).for('update');
    },

    /**
     * The live stream's notice: its listeners close this user's streams on it. Appended like any
     * task change (after the user's other appends, in commit order), as the transaction's last
     * statement: the append's per-user lock must be the last lock taken (appendTaskChanges).
     */
    async recordAccountDeleted(tx: Executor, userId: string): Promise<void> {
      await appendTaskChanges(tx, userId, [
        { eventId: randomUUID(), type: ACCOUNT_DELETED_CHANGE, payload: {} },
      ]);
    },

    /** Deletes the user; tasks, sessions and refresh tokens go by ON DELETE CASCADE. */
    async deleteUser(tx: Executor, userId: string): Promise<boolean> {
      const rows = await tx.delete(users).where(eq(users.id, userId)).returning({ id: users.id });
      return rows.length > 0;
    },
  };
}

export type AccountDeletionRepository = ReturnType<typeof createAccountDeletionRepository>;
