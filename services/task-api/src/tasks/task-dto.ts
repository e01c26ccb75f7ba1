import type { TaskCompletedData, TaskSnapshot } from '@todo/contracts';
import type { TaskRow } from '@todo/db';
import { rruleToShorthand } from './recurrence-shorthand.js';
import type { TaskResponse } from './task.schemas.js';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** A task without a series id is its own series root. */
export const seriesIdOf = (row: TaskRow) => row.seriesId ?? row.id;

export function recurrenceOf(row: TaskRow): TaskSnapshot['recurrence'] {
  if (!row.recurrenceRule || !row.recurrenceTimezone || !row.recurrenceAnchor) return null;
  return {
    rrule: row.recurrenceRule,
    timezone: row.recurrenceTimezone,
    anchor: row.recurrenceAnchor,
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
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
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
    completed_at: row.completedAt.toISOString(),
  };
}

export function toTaskResponse(row: TaskRow): TaskResponse {
  const shorthand = rruleToShorthand(row.recurrenceRule);
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    priority: row.priority,
    status: row.status,
    tags: row.tags,
    due_date: iso(row.dueAt),
    completed_at: iso(row.completedAt),
    recurring_type: shorthand.type,
    recurring_end_date: iso(shorthand.endDate),
    recurrence: recurrenceOf(row),
    parent_task_id: row.parentTaskId,
    series_id: seriesIdOf(row),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
