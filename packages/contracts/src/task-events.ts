import { z } from 'zod';
import {
  isoDateTimeSchema,
  recurrenceSchema,
  tagsSchema,
  taskPrioritySchema,
  taskStatusSchema,
} from './task-fields.js';

/**
 * Every event on the `task-events` topic. Each is `{ type, data }` with a versioned literal type;
 * a breaking change to `data` gets a new version (`...v2`) published beside the old one until all
 * consumers have moved.
 */

export const TASK_EVENT_TYPES = {
  created: 'com.todo.task.created.v1',
  updated: 'com.todo.task.updated.v1',
  completed: 'com.todo.task.completed.v1',
  reopened: 'com.todo.task.reopened.v1',
  deleted: 'com.todo.task.deleted.v1',
  seriesEnded: 'com.todo.task.series_ended.v1',
} as const;
export type TaskEventType = (typeof TASK_EVENT_TYPES)[keyof typeof TASK_EVENT_TYPES];

const uuid = z.uuid();

/** The task as it stands after the change. `series_id` is the series root's id (never null). */
export const taskSnapshotSchema = z.strictObject({
  id: uuid,
  user_id: uuid,
  title: z.string().min(1),
  description: z.string().nullable(),
  priority: taskPrioritySchema,
  status: taskStatusSchema,
  tags: tagsSchema,
  due_at: isoDateTimeSchema.nullable(),
  completed_at: isoDateTimeSchema.nullable(),
  recurrence: recurrenceSchema.nullable(),
  parent_task_id: uuid.nullable(),
  series_id: uuid,
  /** 0-based position of this task in its series. */
  occurrence_index: z.int().min(0),
  created_at: isoDateTimeSchema,
  updated_at: isoDateTimeSchema,
});
export type TaskSnapshot = z.infer<typeof taskSnapshotSchema>;

export const taskCreatedDataSchema = z.strictObject({ task: taskSnapshotSchema });

export const taskUpdatedDataSchema = z.strictObject({
  task: taskSnapshotSchema,
  /** Names of the snapshot fields whose values changed. */
  changed: z.array(z.string()).min(1),
});

/** Everything the recurrence engine needs, so it never calls back the API. */
export const taskCompletedDataSchema = z.strictObject({
  task_id: uuid,
  user_id: uuid,
  series_id: uuid,
  parent_task_id: uuid.nullable(),
  title: z.string().min(1),
  description: z.string().nullable(),
  priority: taskPrioritySchema,
  tags: tagsSchema,
  due_at: isoDateTimeSchema.nullable(),
  recurrence: recurrenceSchema.nullable(),
  occurrence_index: z.int().min(0),
  completed_at: isoDateTimeSchema,
});

export const taskReopenedDataSchema = z.strictObject({
  task_id: uuid,
  user_id: uuid,
  series_id: uuid,
  reopened_at: isoDateTimeSchema,
});

export const taskDeletedDataSchema = z.strictObject({
  task_id: uuid,
  user_id: uuid,
  series_id: uuid,
  deleted_at: isoDateTimeSchema,
});

/** The recurrence engine's word that a series has no next occurrence (COUNT or UNTIL reached). */
export const taskSeriesEndedDataSchema = z.strictObject({
  series_id: uuid,
  user_id: uuid,
  last_task_id: uuid,
  reason: z.enum(['count', 'until', 'no_more_occurrences']),
  /** The completion time of the last occurrence (never the handling time, so it is deterministic). */
  ended_at: isoDateTimeSchema,
});

export const taskCreatedEventSchema = z.strictObject({
  type: z.literal(TASK_EVENT_TYPES.created),
  data: taskCreatedDataSchema,
});
export const taskUpdatedEventSchema = z.strictObject({
  type: z.literal(TASK_EVENT_TYPES.updated),
  data: taskUpdatedDataSchema,
});
export const taskCompletedEventSchema = z.strictObject({
  type: z.literal(TASK_EVENT_TYPES.completed),
  data: taskCompletedDataSchema,
});
export const taskReopenedEventSchema = z.strictObject({
  type: z.literal(TASK_EVENT_TYPES.reopened),
  data: taskReopenedDataSchema,
});
export const taskDeletedEventSchema = z.strictObject({
  type: z.literal(TASK_EVENT_TYPES.deleted),
  data: taskDeletedDataSchema,
});

export const taskSeriesEndedEventSchema = z.strictObject({
  type: z.literal(TASK_EVENT_TYPES.seriesEnded),
  data: taskSeriesEndedDataSchema,
});

export const taskEventSchema = z.discriminatedUnion('type', [
  taskCreatedEventSchema,
  taskUpdatedEventSchema,
  taskCompletedEventSchema,
  taskReopenedEventSchema,
  taskDeletedEventSchema,
  taskSeriesEndedEventSchema,
]);

export type TaskCreatedEvent = z.infer<typeof taskCreatedEventSchema>;
export type TaskUpdatedEvent = z.infer<typeof taskUpdatedEventSchema>;
export type TaskCompletedEvent = z.infer<typeof taskCompletedEventSchema>;
export type TaskReopenedEvent = z.infer<typeof taskReopenedEventSchema>;
export type TaskDeletedEvent = z.infer<typeof taskDeletedEventSchema>;
export type TaskSeriesEndedEvent = z.infer<typeof taskSeriesEndedEventSchema>;
export type TaskEvent = z.infer<typeof taskEventSchema>;
export type TaskCompletedData = TaskCompletedEvent['data'];
