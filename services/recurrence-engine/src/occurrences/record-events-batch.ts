import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { TaskEvent } from '@todo/contracts';
import {
  outbox,
  seriesIdOf,
  taskChangePayloadOf,
  taskChanges,
  TASK_CHANGES_LOCK_NAMESPACE,
  type EventOrigin,
  type Executor,
  type TaskRow,
} from '@todo/db';
import { textArray } from '../sql-array.js';
import { insertRecordset } from './insert-recordset.js';

/** One change of a batch: its origin, the task row, its events. */
export interface TaskEventsRecord {
  origin: EventOrigin;
  row: TaskRow;
  events: TaskEvent[];
}

/**
 * The batch form of `@todo/db`'s `recordTaskEvents`, for a bulk delivery's changes to several
 * tasks in one transaction: one outbox insert and one change-log insert for all of them, with the
 * same rows as one call per change (event ids shared by the outbox and task_changes, the series
 * as the partition key). Call it as the transaction's last statements, after its row locks.
 *
 * The change log's per-user advisory locks (task-changes.ts in `@todo/db`: per user, seq order is
 * commit order) are taken for every user at once, in one statement, in the order of their keys
 * (not of user ids: two users may share a key, and taking a key twice in one transaction is
 * harmless). Two batches therefore queue on their first shared key instead of deadlocking, and
 * every other writer takes a single such lock, last, so it waits on nothing a batch holds.
 */
export async function recordTaskEventsBatch(
  executor: Executor,
  records: TaskEventsRecord[],
): Promise<string[]> {
  const flat = records.flatMap((record) => record.events.map((event) => ({ record, event })));
  if (flat.length === 0) return [];
  // The rows `appendToOutbox` (@todo/db) writes, as one parameter (insert-recordset.ts).
  const eventIds = flat.map(() => randomUUID());
  await insertRecordset(
    executor,
    outbox,
    ['eventId', 'producer', 'aggregateId', 'type', 'payload', 'traceparent'],
    flat.map(({ record, event }, i) => ({
      eventId: eventIds[i]!,
      producer: record.origin.producer,
      aggregateId: seriesIdOf(record.row),
      type: event.type,
      payload: event.data,
      traceparent: record.origin.traceparent ?? null,
    })),
  );
  const users = [...new Set(records.map((record) => record.row.userId))];
  const userArray = textArray(users);
  await executor.execute(sql`
    SELECT pg_advisory_xact_lock(${TASK_CHANGES_LOCK_NAMESPACE}::int, key)
    FROM (SELECT DISTINCT hashtext(u) AS key FROM unnest(${userArray}) AS u ORDER BY 1) AS keys`);
  // No RETURNING: the engine's role may append to the log but not read it.
  await insertRecordset(
    executor,
    taskChanges,
    ['userId', 'eventId', 'type', 'payload'],
    flat.map(({ record, event }, i) => ({
      userId: record.row.userId,
      eventId: eventIds[i]!,
      type: event.type,
      payload: taskChangePayloadOf(record.row, event),
    })),
  );
  return eventIds;
}
