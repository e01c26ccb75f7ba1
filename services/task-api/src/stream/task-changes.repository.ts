import { TASK_CHANGES_LOCK_NAMESPACE, taskChanges, type Database, type Executor } from '@todo/db';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { ChangeRow } from './change-messages.js';

/** The change log's retained range: every row from `oldest` on is kept, none before it. */
export interface ChangeLogBounds {
  oldest: bigint | null;
  newest: bigint | null;
}

/** Second key of the pruner's advisory lock (the first is the change log's namespace + 1). */
const PRUNER_LOCK = [TASK_CHANGES_LOCK_NAMESPACE + 1, 0] as const;

export function createTaskChangesRepository(db: Database) {
  return {
    /** The user's changes after `seq`, in seq order (= commit order, see @todo/db task-changes.ts). */
    readAfter(userId: string, seq: bigint, limit: number): Promise<ChangeRow[]> {
      return db
        .select({
          seq: taskChanges.seq,
          eventId: taskChanges.eventId,
          type: taskChanges.type,
          payload: taskChanges.payload,
          createdAt: taskChanges.createdAt,
        })
        .from(taskChanges)
        .where(and(eq(taskChanges.userId, userId), gt(taskChanges.seq, seq)))
        .orderBy(asc(taskChanges.seq))
        .limit(limit);
    },

    /** Both ends of the primary key: two index lookups. */
    async bounds(): Promise<ChangeLogBounds> {
      const [row] = await db
        .select({
          oldest: sql<string | null>`min(${taskChanges.seq})`,
          newest: sql<string | null>`max(${taskChanges.seq})`,
        })
        .from(taskChanges);
      const big = (value: string | null | undefined) =>
        value === null || value === undefined ? null : BigInt(value);
      return { oldest: big(row?.oldest), newest: big(row?.newest) };
    },

    /**
     * Deletes up to `batch` of the oldest rows recorded more than `retentionSeconds` ago, only ever
     * a prefix in seq order and never the newest row, so what is kept is always "every row from
     * min(seq) on": a position below min(seq) − 1 is known to have lost rows (the stream then
     * answers `reset`). Returns how many went, or null when another replica holds the pruner's
     * lock (one replica prunes at a time).
     */
    async prune(retentionSeconds: number, batch: number): Promise<number | null> {
      return db.transaction(async (tx: Executor) => {
        const [lock] = await tx.execute<{ locked: boolean }>(
          sql`SELECT pg_try_advisory_xact_lock(${PRUNER_LOCK[0]}::int, ${PRUNER_LOCK[1]}::int) AS locked`,
        );
        if (!lock?.locked) return null;
        const deleted = await tx.execute(sql`
          WITH head AS (
            SELECT seq, created_at FROM task_changes ORDER BY seq LIMIT ${batch}
          ), upto AS (
            SELECT LEAST(
              COALESCE(
                (SELECT min(seq) - 1 FROM head
                  WHERE created_at >= now() - make_interval(secs => ${retentionSeconds})),
                (SELECT max(seq) FROM head)
              ),
              (SELECT max(seq) - 1 FROM task_changes)
            ) AS seq
          )
          DELETE FROM task_changes WHERE seq <= (SELECT seq FROM upto)`);
        return deleted.count;
      });
    },
  };
}

export type TaskChangesRepository = ReturnType<typeof createTaskChangesRepository>;
