import {
  ACCOUNT_DELETED_CHANGE,
  TASK_EVENT_TYPES,
  taskDeletedDataSchema as deletedEventDataSchema,
  taskSeriesEndedDataSchema as seriesEndedEventDataSchema,
  taskSnapshotSchema,
  type TaskSnapshot,
} from '@todo/contracts';
import { isoString } from '@todo/db';
import { taskFieldsOf, type TaskRowFields } from '../tasks/task-dto.js';
import type { SseEvent } from './sse-format.js';
import type { StreamedTask, TaskChangeKind } from './stream-events.js';

/** A row of the user's change log (task_changes), as the stream reads it. */
export interface ChangeRow {
  seq: bigint;
  eventId: string;
  type: string;
  payload: unknown;
  createdAt: Date;
}

/** What a change-log row becomes on the stream. */
export type StreamMessage =
  | { kind: 'event'; event: SseEvent }
  /** The account is gone: this is the stream's last event. */
  | { kind: 'final'; event: SseEvent }
  /** A row this version cannot show (a newer type): passed over, its position still counts. */
  | { kind: 'skip' };

const KIND_OF_TYPE: Partial<Record<string, TaskChangeKind>> = {
  [TASK_EVENT_TYPES.created]: 'created',
  [TASK_EVENT_TYPES.updated]: 'updated',
  [TASK_EVENT_TYPES.completed]: 'completed',
  [TASK_EVENT_TYPES.reopened]: 'reopened',
};

/** The task row a snapshot describes: taskFieldsOf renders it exactly as the REST API does. */
export function taskRowOf(task: TaskSnapshot): TaskRowFields {
  const date = (value: string | null) => (value === null ? null : new Date(value));
  return {
    id: task.id,
    userId: task.user_id,
    title: task.title,
    description: task.description,
    priority: task.priority,
    status: task.status,
    tags: task.tags,
    dueAt: date(task.due_at),
    completedAt: date(task.completed_at),
    recurrenceRule: task.recurrence?.rrule ?? null,
    recurrenceTimezone: task.recurrence?.timezone ?? null,
    recurrenceAnchor: task.recurrence?.anchor ?? null,
    recurrenceOverdue: task.recurrence?.overdue ?? null,
    recurrenceDtstart: date(task.recurrence?.dtstart ?? null),
    occurrenceIndex: task.occurrence_index,
    parentTaskId: task.parent_task_id,
    seriesId: task.series_id,
    createdAt: new Date(task.created_at),
    updatedAt: new Date(task.updated_at),
  };
}

/**
 * The task a change-log row shows, with the version stored beside its snapshot. A row written
 * before the log stored versions (migration 0013; kept for the retention window), or by a writer
 * from before it during a rolling upgrade, has none: the task goes without one, and a client reads
 * the task before a conditional write. The current version is never filled in, since it may name
 * a later state than the snapshot (a write over it would overwrite that change unseen); nor is
 * anything that is not a version the API could have issued.
 */
function streamedTaskOf(task: TaskSnapshot, version: unknown): StreamedTask {
  const fields = taskFieldsOf(taskRowOf(task));
  return isVersion(version) ? { ...fields, version } : fields;
}

const isVersion = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;

/**
 * The stream's message for one change. Payloads are read strictly: a row written by a newer
 * version (another type, another shape) is skipped rather than sent half-understood.
 */
export function messageOf(change: ChangeRow): StreamMessage {
  const id = change.seq.toString();
  const common = { event_id: change.eventId, occurred_at: isoString(change.createdAt) };
  if (change.type === ACCOUNT_DELETED_CHANGE) {
    return {
      kind: 'final',
      event: { event: 'account_deleted', id, data: { ...common, type: 'account_deleted' } },
    };
  }
  const kind = KIND_OF_TYPE[change.type];
  if (kind) {
    const payload = (change.payload ?? {}) as { task?: unknown; version?: unknown };
    const task = taskSnapshotSchema.safeParse(payload.task);
    if (!task.success) return { kind: 'skip' };
    const data = { ...common, type: kind, task: streamedTaskOf(task.data, payload.version) };
    return { kind: 'event', event: { event: kind, id, data } };
  }
  if (change.type === TASK_EVENT_TYPES.deleted) {
    const deleted = deletedEventDataSchema.safeParse(change.payload);
    if (!deleted.success) return { kind: 'skip' };
    const { task_id, series_id } = deleted.data;
    return {
      kind: 'event',
      event: { event: 'deleted', id, data: { ...common, type: 'deleted', task_id, series_id } },
    };
  }
  if (change.type === TASK_EVENT_TYPES.seriesEnded) {
    const ended = seriesEndedEventDataSchema.safeParse(change.payload);
    if (!ended.success) return { kind: 'skip' };
    const { series_id, last_task_id, reason } = ended.data;
    return {
      kind: 'event',
      event: {
        event: 'series_ended',
        id,
        data: { ...common, type: 'series_ended', series_id, last_task_id, reason },
      },
    };
  }
  return { kind: 'skip' };
}
