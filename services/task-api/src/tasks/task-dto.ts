import { recurrenceOf, seriesIdOf, type TaskRow } from '@todo/db';
import { describeRule, parseRrule, shorthandOf } from '@todo/recurrence';
import { DateTime } from 'luxon';
import type { TaskResponse } from './task.schemas.js';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** A task's fields without its version: what a change-log snapshot describes. */
export type TaskRowFields = Omit<TaskRow, 'version'>;

function recurrenceResponse(row: TaskRowFields): TaskResponse['recurrence'] {
  const recurrence = recurrenceOf(row);
  if (!recurrence) return null;
  const start = row.recurrenceDtstart ?? row.dueAt;
  const description = describeRule(
    parseRrule(recurrence.rrule),
    start ? DateTime.fromJSDate(start, { zone: recurrence.timezone }) : undefined,
  );
  return { ...recurrence, description };
}

/** The API's view of a task: the original field names plus the full recurrence. */
export function toTaskResponse(row: TaskRow): TaskResponse {
  return { ...taskFieldsOf(row), version: row.version };
}

/** Every field of the API's view but `version`, which a change-log row may lack. */
export function taskFieldsOf(row: TaskRowFields): Omit<TaskResponse, 'version'> {
  const shorthand = shorthandOf(row.recurrenceRule ? parseRrule(row.recurrenceRule) : null);
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
    recurrence: recurrenceResponse(row),
    parent_task_id: row.parentTaskId,
    series_id: seriesIdOf(row),
    occurrence_index: row.occurrenceIndex,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
