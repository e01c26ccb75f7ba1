import type { Task } from '@todo/api-client';
import { fromLocalInput, toLocalInput } from '../time/zoned-time';
import type { CreateTaskBody, PatchTaskBody } from './task-queries';
import type { TaskPriority } from './task-types';

/** The task form's inputs, as strings the inputs hold. */
export interface TaskFormValues {
  title: string;
  description: string;
  priority: TaskPriority;
  /** Comma-separated. */
  tags: string;
  /** `datetime-local` value, in the user's zone. */
  due: string;
  /** RRULE value; empty for a task that does not repeat. */
  rrule: string;
  /** The series' anchor and overdue policy (sent with the rule). */
  anchor: 'due' | 'completion';
  overdue: 'skip' | 'strict';
}

export const EMPTY_TASK_FORM: TaskFormValues = {
  title: '',
  description: '',
  priority: 'medium',
  tags: '',
  due: '',
  rrule: '',
  anchor: 'due',
  overdue: 'skip',
};

export function formValuesFromTask(task: Task, zone: string): TaskFormValues {
  return {
    title: task.title,
    description: task.description ?? '',
    priority: task.priority,
    tags: task.tags.join(', '),
    due: toLocalInput(task.due_date, zone),
    rrule: task.recurrence?.rrule ?? '',
    anchor: task.recurrence?.anchor ?? 'due',
    overdue: task.recurrence?.overdue ?? 'skip',
  };
}

const tagList = (text: string) => [
  ...new Set(
    text
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean),
  ),
];

/** A due input as the API takes it; text that is no date goes as typed, for the API to name. */
const dueDate = (due: string, zone: string): string | null => {
  const instant = fromLocalInput(due, zone);
  return instant === undefined ? due : instant;
};

/** The create request: fields left empty are left out (the API's defaults apply). */
export function createBody(values: TaskFormValues, zone: string): CreateTaskBody {
  const body: CreateTaskBody = { title: values.title, priority: values.priority };
  if (values.description.trim()) body.description = values.description;
  const tags = tagList(values.tags);
  if (tags.length) body.tags = tags;
  const due = dueDate(values.due, zone);
  if (due !== null) body.due_date = due;
  if (values.rrule.trim()) {
    body.recurrence = {
      rrule: values.rrule.trim(),
      timezone: zone,
      anchor: values.anchor,
      overdue: values.overdue,
    };
  }
  return body;
}

/**
 * The patch for an edit: only what changed, so an unchanged rule keeps its series as it is.
 * Undefined when nothing changed.
 */
export function patchBody(
  values: TaskFormValues,
  task: Task,
  zone: string,
): PatchTaskBody | undefined {
  const before = formValuesFromTask(task, zone);
  const body: PatchTaskBody = {};
  if (values.title !== before.title) body.title = values.title;
  if (values.description !== before.description) body.description = values.description || null;
  if (values.priority !== before.priority) body.priority = values.priority;
  if (tagList(values.tags).join(',') !== task.tags.join(',')) body.tags = tagList(values.tags);
  if (values.due !== before.due) body.due_date = dueDate(values.due, zone);
  const rrule = values.rrule.trim();
  if (!rrule) {
    if (before.rrule) body.recurrence = null;
  } else if (
    rrule !== before.rrule ||
    values.anchor !== before.anchor ||
    values.overdue !== before.overdue
  ) {
    body.recurrence = {
      rrule,
      timezone: task.recurrence?.timezone ?? zone,
      anchor: values.anchor,
      overdue: values.overdue,
    };
  }
  return Object.keys(body).length ? body : undefined;
}
