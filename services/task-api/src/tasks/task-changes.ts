import { TASK_EVENT_TYPES, type TaskEvent } from '@todo/contracts';
import { toCompletedData, toSnapshot, type NewTaskRow, type TaskRow } from '@todo/db';

/**
 * Which events a change to a task produces. One function decides it for every route (PUT, PATCH,
 * complete, reopen, toggle), so the outbox always tells the same story as the row.
 */
export function eventsForChange(before: TaskRow, after: TaskRow, now: Date): TaskEvent[] {
  const beforeSnapshot = toSnapshot(before);
  const afterSnapshot = toSnapshot(after);
  const changed = (Object.keys(afterSnapshot) as Array<keyof typeof afterSnapshot>).filter(
    (key) =>
      key !== 'updated_at' &&
      key !== 'completed_at' &&
      key !== 'status' &&
      JSON.stringify(beforeSnapshot[key]) !== JSON.stringify(afterSnapshot[key]),
  );
  const statusChanged = before.status !== after.status;
  if (statusChanged) changed.push('status');

  const events: TaskEvent[] = [];
  const otherChanges = changed.filter((key) => key !== 'status');
  if (
    otherChanges.length > 0 ||
    (statusChanged && before.status !== 'done' && after.status !== 'done')
  ) {
    events.push({ type: TASK_EVENT_TYPES.updated, data: { task: afterSnapshot, changed } });
  }
  if (before.status !== 'done' && after.status === 'done') {
    events.push({ type: TASK_EVENT_TYPES.completed, data: toCompletedData(after) });
  }
  if (before.status === 'done' && after.status !== 'done') {
    events.push({
      type: TASK_EVENT_TYPES.reopened,
      data: {
        task_id: after.id,
        user_id: after.userId,
        series_id: afterSnapshot.series_id,
        reopened_at: now.toISOString(),
      },
    });
  }
  return events;
}

export function eventsForCreate(row: TaskRow): TaskEvent[] {
  const events: TaskEvent[] = [{ type: TASK_EVENT_TYPES.created, data: { task: toSnapshot(row) } }];
  if (row.status === 'done')
    events.push({ type: TASK_EVENT_TYPES.completed, data: toCompletedData(row) });
  return events;
}

/** Keeps `completed_at` consistent with the status across a change. */
export function completionFields(
  before: Pick<TaskRow, 'status' | 'completedAt'> | undefined,
  nextStatus: TaskRow['status'],
  now: Date,
): Pick<NewTaskRow, 'status' | 'completedAt'> {
  if (nextStatus !== 'done') return { status: nextStatus, completedAt: null };
  if (before?.status === 'done') return { status: 'done', completedAt: before.completedAt };
  return { status: 'done', completedAt: now };
}
