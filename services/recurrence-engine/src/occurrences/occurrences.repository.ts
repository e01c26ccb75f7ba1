import { asc, eq, sql } from 'drizzle-orm';
import {
  deliveryAttempts,
  parkedEvents,
  processedEvents,
  rowReader,
  TASK_SEARCH_ONLY_COLUMNS,
  taskColumns,
  taskColumnList,
  tasks,
  type Executor,
  type NewTaskRow,
  type TaskRow,
} from '@todo/db';
import { textArray, uuidArray } from '../sql-array.js';
import { insertRecordset } from './insert-recordset.js';

const readTask = rowReader(tasks, TASK_SEARCH_ONLY_COLUMNS);

/** The columns the engine gives a child task; the others take their defaults. */
const CHILD_COLUMNS = [
  'userId',
  'title',
  'description',
  'priority',
  'tags',
  'status',
  'dueAt',
  'recurrenceRule',
  'recurrenceTimezone',
  'recurrenceAnchor',
  'recurrenceOverdue',
  'recurrenceDtstart',
  'occurrenceIndex',
  'parentTaskId',
  'seriesId',
] as const satisfies Array<keyof NewTaskRow>;

/** A child task as the engine writes it: every column of CHILD_COLUMNS. */
export type ChildRow = Required<Pick<NewTaskRow, (typeof CHILD_COLUMNS)[number]>> & {
  parentTaskId: string;
};

/** The engine's data access inside its transaction: idempotency records, the completed task, and child tasks. */
export function createOccurrencesRepository() {
  return {
    /**
     * Records that `consumer` handled `eventId`; false when it already had (a redelivery). The
     * same statement settles the event's delivery bookkeeping: its attempt count, and its park
     * record if it was parked (a re-drive, or a slow delivery that committed after all).
     */
    async markProcessed(db: Executor, consumer: string, eventId: string): Promise<boolean> {
      const rows = await db.execute<{ event_id: string }>(sql`
        WITH settled_attempts AS (
          DELETE FROM ${deliveryAttempts}
          WHERE ${deliveryAttempts.consumer} = ${consumer}
            AND ${deliveryAttempts.eventId} = ${eventId}
        ), unparked AS (
          DELETE FROM ${parkedEvents}
          WHERE ${parkedEvents.consumer} = ${consumer} AND ${parkedEvents.eventId} = ${eventId}
        )
        INSERT INTO ${processedEvents} (consumer, event_id) VALUES (${consumer}, ${eventId})
        ON CONFLICT DO NOTHING
        RETURNING event_id`);
      return rows.length === 1;
    },

    /** The task, locked until the transaction ends, so a concurrent edit or delete waits. */
    async lockTask(db: Executor, id: string): Promise<TaskRow | undefined> {
      const rows = await db.select(taskColumns).from(tasks).where(eq(tasks.id, id)).for('update');
      return rows[0];
    },

    /**
     * Inserts the next occurrence unless the parent already has one: the unique index on
     * parent_task_id makes a second child impossible, whatever the delivery order.
     */
    async insertChild(
      db: Executor,
      values: NewTaskRow & { parentTaskId: string },
    ): Promise<TaskRow | undefined> {
      const rows = await db
        .insert(tasks)
        .values(values)
        .onConflictDoNothing({ target: tasks.parentTaskId })
        .returning(taskColumns);
      return rows[0];
    },

    /**
     * The batch form of {@link markProcessed}: the ids among `eventIds` recorded now (the others
     * were already handled: a delivery that raced this one). Inserted in id order, as every
     * batch does, so two batches sharing ids wait for each other instead of deadlocking.
     */
    async markProcessedMany(
      db: Executor,
      consumer: string,
      eventIds: string[],
    ): Promise<Set<string>> {
      if (eventIds.length === 0) return new Set();
      const ids = textArray(eventIds);
      const rows = await db.execute<{ event_id: string }>(sql`
        WITH settled_attempts AS (
          DELETE FROM ${deliveryAttempts}
          WHERE ${deliveryAttempts.consumer} = ${consumer}
            AND ${deliveryAttempts.eventId} = ANY(${ids})
        ), unparked AS (
          DELETE FROM ${parkedEvents}
          WHERE ${parkedEvents.consumer} = ${consumer} AND ${parkedEvents.eventId} = ANY(${ids})
        )
        INSERT INTO ${processedEvents} (consumer, event_id)
        SELECT ${consumer}, id FROM unnest(${ids}) AS id ORDER BY id
        ON CONFLICT DO NOTHING
        RETURNING event_id`);
      return new Set(rows.map((row) => row.event_id));
    },

    /**
     * The tasks, locked until the transaction ends, in id order: two batches (or replicas)
     * locking overlapping tasks take them in the same order, so they queue, never deadlock.
     */
    async lockTasks(db: Executor, ids: string[]): Promise<TaskRow[]> {
      if (ids.length === 0) return [];
      return db
        .select(taskColumns)
        .from(tasks)
        .where(sql`${tasks.id} = ANY(${uuidArray(ids)})`)
        .orderBy(asc(tasks.id))
        .for('update');
    },

    /**
     * The batch form of {@link insertChild}, one statement: a parent that already has a child
     * (or appears twice: the first one in `values` gets it) gets none; the returned rows are the
     * children inserted. The rows travel as one parameter (insert-recordset.ts).
     */
    async insertChildren(db: Executor, values: ChildRow[]): Promise<TaskRow[]> {
      if (values.length === 0) return [];
      const raw = await insertRecordset(
        db,
        tasks,
        CHILD_COLUMNS,
        values,
        sql`ON CONFLICT (parent_task_id) DO NOTHING RETURNING ${taskColumnList}`,
      );
      return raw.map(readTask);
    },
  };
}

export type OccurrencesRepository = ReturnType<typeof createOccurrencesRepository>;
