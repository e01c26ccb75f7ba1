import { isoString, recurrenceOf, seriesIdOf, type TaskRow } from '@todo/db';
import { recurrenceViewOf } from './recurrence-view.js';
import type { TaskResponse } from './task.schemas.js';

const iso = (date: Date | null) => (date ? isoString(date) : null);

/** A task's fields without its version: what a change-log snapshot describes. */
export type TaskRowFields = Omit<TaskRow, 'version'>;

/** The API's view of a task: the original field names plus the full recurrence. */
export function toTaskResponse(row: TaskRow): TaskResponse {
  // Completed in place, not spread into a copy: a list page maps 50 of these per request.
  const response = taskFieldsOf(row) as TaskResponse;
  response.version = row.version;
  return response;
}

/** Every field of the API's view but `version`, which a change-log row may lack. */
export function taskFieldsOf(row: TaskRowFields): Omit<TaskResponse, 'version'> {
  const recurrence = recurrenceOf(row);
  const view = recurrence
    ? recurrenceViewOf(recurrence.rrule, recurrence.timezone, row.recurrenceDtstart ?? row.dueAt)
    : undefined;
  const shorthand = view?.shorthand ?? { type: 'none' as const, endDate: null };
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
    recurrence: recurrence && view ? { ...recurrence, description: view.description } : null,
    parent_task_id: row.parentTaskId,
    series_id: seriesIdOf(row),
    occurrence_index: row.occurrenceIndex,
    created_at: isoString(row.createdAt),
    updated_at: isoString(row.updatedAt),
  };
}
