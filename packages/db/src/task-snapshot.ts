import type { Recurrence, TaskCompletedData, TaskSnapshot } from '@todo/contracts';
import { isoString } from './iso-string.js';
import type { TaskRow } from './schema.js';

/** Maps task rows to the event shapes of `@todo/contracts`, for every service that emits them. */

const iso = (date: Date | null) => (date ? isoString(date) : null);

/** A task without a series id is its own series root. */
export const seriesIdOf = (row: Pick<TaskRow, 'id' | 'seriesId'>): string => row.seriesId ?? row.id;

export function recurrenceOf(row: Omit<TaskRow, 'version'>): Recurrence | null {
  if (
    !row.recurrenceRule ||
    !row.recurrenceTimezone ||
    !row.recurrenceAnchor ||
    !row.recurrenceOverdue
  ) {
    return null;
  }
  return {
    rrule: row.recurrenceRule,
    timezone: row.recurrenceTimezone,
    anchor: row.recurrenceAnchor,
    overdue: row.recurrenceOverdue,
    dtstart: iso(row.recurrenceDtstart),
  };
}

export function toSnapshot(row: TaskRow): TaskSnapshot {
  return {
    id: row.id,
    user_id: row.userId,
    title: row.title,
    description: row.description,
    priority: row.priority,
    status: row.status,
    tags: row.tags,
    due_at: iso(row.dueAt),
    completed_at: iso(row.completedAt),
    recurrence: recurrenceOf(row),
    parent_task_id: row.parentTaskId,
    series_id: seriesIdOf(row),
    occurrence_index: row.occurrenceIndex,
    created_at: isoString(row.createdAt),
    updated_at: isoString(row.updatedAt),
  };
}

export function toCompletedData(row: TaskRow): TaskCompletedData {
  if (!row.completedAt) throw new Error(`task ${row.id} is not completed`);
  return {
    task_id: row.id,
    user_id: row.userId,
    series_id: seriesIdOf(row),
    parent_task_id: row.parentTaskId,
    title: row.title,
    description: row.description,
    priority: row.priority,
    tags: row.tags,
    due_at: iso(row.dueAt),
    recurrence: recurrenceOf(row),
    occurrence_index: row.occurrenceIndex,
    completed_at: isoString(row.completedAt),
  };
}
