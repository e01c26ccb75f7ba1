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
import { recordsetInsert } from './insert-recordset.js';

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
 * as the partition key), in one statement. Call it as the transaction's last, after its row locks.
 *
 * The change log's per-user advisory locks (task-changes.ts in `@todo/db`: per user, seq order is
 * commit order) are taken for every user at once, in the order of their keys
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
  const eventIds = flat.map(() => randomUUID());
  const users = [...new Set(records.map((record) => record.row.userId))];
  // One statement: the outbox rows `appendToOutbox` (@todo/db) writes; the change log's per-user
  // locks; its rows, gated on the locks so that no seq is drawn before they are all held. Each
  // part's rows travel as one parameter (insert-recordset.ts). One round trip instead of three
  // matters under load, when a busy machine adds milliseconds to every one of them.
  // No RETURNING: the engine's role may append to the change log but not read it.
  await executor.execute(sql`
    WITH change_locks AS (
      SELECT count(*) AS taken FROM (
        SELECT pg_advisory_xact_lock(${TASK_CHANGES_LOCK_NAMESPACE}::int, key)
        FROM (SELECT DISTINCT hashtext(u) AS key FROM unnest(${textArray(users)}) AS u ORDER BY 1) AS keys
      ) AS locked
    ), appended AS (
      ${recordsetInsert(
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
      )}
    )
    ${recordsetInsert(
      taskChanges,
      ['userId', 'eventId', 'type', 'payload'],
      flat.map(({ record, event }, i) => ({
        userId: record.row.userId,
        eventId: eventIds[i]!,
        type: event.type,
        payload: taskChangePayloadOf(record.row, event),
      })),
      { gate: sql`(SELECT taken FROM change_locks) IS NOT NULL` },
    )}`);
  return eventIds;
}
