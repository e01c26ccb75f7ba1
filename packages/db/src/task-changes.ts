import { sql } from 'drizzle-orm';
import {
  TASK_EVENT_TYPES,
  type TaskDeletedEvent,
  type TaskEvent,
  type TaskSeriesEndedEvent,
  type TaskSnapshot,
} from '@todo/contracts';
import type { Executor } from './client.js';
import { taskChanges, type TaskRow } from './schema.js';
import { toSnapshot } from './task-snapshot.js';

/**
 * The per-user change log behind task-api's live stream (`task_changes`, migration 0009). Its
 * insert trigger notifies this channel with the user id; every task-api replica listens on it.
 */
export const TASK_CHANGES_CHANNEL = 'task_changes';

/**
 * First key of the two-key advisory lock that serialises one user's appends (the second is a hash
 * of the user id). Two-key locks never collide with one-key (bigint) ones, such as the migrator's.
 */
export const TASK_CHANGES_LOCK_NAMESPACE = 0x7a5c;

/** What a change-log row holds for a task that still exists: the task as it stands after the change. */
export interface TaskChangeTaskPayload {
  task: TaskSnapshot;
  /**
   * The row's version after the change (migration 0013), beside the snapshot because event
   * snapshots do not carry it; the stream shows it as the REST API does. Rows written before
   * 0013, or by a writer from before it during a rolling upgrade, lack it (until pruned).
   */
  version?: number;
}
/** A deletion's or a series end's row holds the event's data: there is no task to show. */
export type TaskChangePayload =
  TaskChangeTaskPayload | TaskDeletedEvent['data'] | TaskSeriesEndedEvent['data'];

export interface TaskChangeEntry {
  /** The outbox event id of the change, so a stream client and a Kafka consumer see one id. */
  eventId: string;
  type: string;
  payload: unknown;
}

/** The row's payload for an event about task `row` (task-api renders it as its REST API does). */
export function taskChangePayloadOf(row: TaskRow, event: TaskEvent): TaskChangePayload {
  switch (event.type) {
    case TASK_EVENT_TYPES.deleted:
    case TASK_EVENT_TYPES.seriesEnded:
      return event.data;
    default:
      return { task: toSnapshot(row), version: row.version };
  }
}

/**
 * Appends changes to a user's log. Call it inside the transaction that makes the change, as its
 * last statement.
 *
 * `seq` is drawn at insert time but becomes visible at commit, and two transactions can commit in
 * the other order; a reader that remembers the last seq it sent would then skip the earlier one
 * for good. The transaction-scoped advisory lock taken just before the insert and held to commit
 * makes one user's appends queue, so per user seq order is commit order.
 *
 * It cannot deadlock: it is the last lock such a transaction takes (the row locks of the change
 * come before it), and a holder only inserts into `task_changes` and commits, which waits on no
 * other lock; so no holder ever waits for a transaction that waits for it. The queue is per user,
 * and a user's writes already queue on their task rows.
 */
export async function appendTaskChanges(
  executor: Executor,
  userId: string,
  entries: TaskChangeEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await executor.execute(
    sql`SELECT pg_advisory_xact_lock(${TASK_CHANGES_LOCK_NAMESPACE}::int, hashtext(${userId}::text))`,
  );
  // No RETURNING: the engine's role may append to the log but not read it.
  await executor.insert(taskChanges).values(
    entries.map((entry) => ({
      userId,
      eventId: entry.eventId,
      type: entry.type,
      payload: entry.payload,
    })),
  );
}
