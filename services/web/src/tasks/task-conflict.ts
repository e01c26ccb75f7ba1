import type { Task } from '@todo/api-client';
import { formValuesFromTask, type TaskFormValues } from './task-form-values';
import { STATUS_LABELS } from './task-types';

/** The state a write is made from: every task this app caches has its version. */
export type SeenTask = Pick<Task, 'id' | 'version' | 'updated_at'>;

/**
 * A write refused because the task changed since it was seen (task-api's 412): nothing was
 * written; `current` is the task now, `seen` the one the write was based on.
 */
export class TaskConflictError extends Error {
  override readonly name = 'TaskConflictError';

  constructor(
    readonly current: Task,
    readonly seen: SeenTask,
  ) {
    super(`task ${current.id} changed since it was seen`);
  }
}

/** One field of a conflict: what is saved now (theirs) beside what this person has (yours). */
export interface ConflictRow {
  field: keyof TaskFormValues | 'status';
  label: string;
  theirs: string;
  yours: string;
  /** Whether this person changed it (their edit is what "Keep mine" saves). */
  changedByYou: boolean;
}

const LABELS: Record<keyof TaskFormValues, string> = {
  title: 'Title',
  description: 'Description',
  priority: 'Priority',
  tags: 'Tags',
  due: 'Due',
  rrule: 'Repeats (rule)',
  anchor: 'Next date from',
  overdue: 'Late completion',
};

const shown = (value: string) =>
  value.trim() === '' ? '(none)' : value.replace(/T(\d\d:\d\d)$/, ' $1');

/**
 * The fields to show for a conflict: each one that the other change or this person's edit
 * touched (against the task as this person saw it) and that now differs between the two. A field
 * only they changed shows yours as it was, since keeping yours leaves it as they saved it.
 */
export function conflictRows(
  seen: Task,
  current: Task,
  yours: TaskFormValues,
  zone: string,
): ConflictRow[] {
  const before = formValuesFromTask(seen, zone);
  const theirs = formValuesFromTask(current, zone);
  const rows: ConflictRow[] = [];
  for (const field of Object.keys(LABELS) as Array<keyof TaskFormValues>) {
    const changedByYou = yours[field] !== before[field];
    const changedByThem = theirs[field] !== before[field];
    if ((changedByYou || changedByThem) && theirs[field] !== yours[field]) {
      rows.push({
        field,
        label: LABELS[field],
        theirs: shown(theirs[field]),
        yours: shown(yours[field]),
        changedByYou,
      });
    }
  }
  if (current.status !== seen.status) {
    rows.push({
      field: 'status',
      label: 'Status',
      theirs: STATUS_LABELS[current.status],
      yours: STATUS_LABELS[seen.status],
      changedByYou: false,
    });
  }
  return rows;
}
