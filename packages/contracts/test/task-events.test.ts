import { describe, expect, it } from '@jest/globals';
import {
  taskEventSchema,
  TASK_EVENT_TYPES,
  type TaskEvent,
  type TaskSnapshot,
} from '../src/index.js';

const taskId = '0b7f4c2e-3d9a-4f6b-9e21-5a8c7d6e4f30';
const userId = '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a09';
const at = '2026-03-01T09:00:00.000Z';

const snapshot: TaskSnapshot = {
  id: taskId,
  user_id: userId,
  title: 'Water the plants',
  description: null,
  priority: 'medium',
  status: 'pending',
  tags: ['home'],
  due_at: at,
  completed_at: null,
  recurrence: {
    rrule: 'FREQ=WEEKLY;BYDAY=MO',
    timezone: 'Europe/Paris',
    anchor: 'due',
    overdue: 'skip',
    dtstart: at,
  },
  parent_task_id: null,
  series_id: taskId,
  occurrence_index: 0,
  created_at: at,
  updated_at: at,
};

const valid: Record<string, TaskEvent> = {
  created: { type: TASK_EVENT_TYPES.created, data: { task: snapshot } },
  updated: {
    type: TASK_EVENT_TYPES.updated,
    data: { task: { ...snapshot, title: 'Water all plants' }, changed: ['title'] },
  },
  completed: {
    type: TASK_EVENT_TYPES.completed,
    data: {
      task_id: taskId,
      user_id: userId,
      series_id: taskId,
      parent_task_id: null,
      title: 'Water the plants',
      description: 'Balcony too',
      priority: 'high',
      tags: ['home', 'garden'],
      due_at: at,
      recurrence: snapshot.recurrence,
      occurrence_index: 0,
      completed_at: '2026-03-01T10:15:00+01:00',
    },
  },
  reopened: {
    type: TASK_EVENT_TYPES.reopened,
    data: { task_id: taskId, user_id: userId, series_id: taskId, reopened_at: at },
  },
  deleted: {
    type: TASK_EVENT_TYPES.deleted,
    data: { task_id: taskId, user_id: userId, series_id: taskId, deleted_at: at },
  },
  seriesEnded: {
    type: TASK_EVENT_TYPES.seriesEnded,
    data: {
      series_id: taskId,
      user_id: userId,
      last_task_id: taskId,
      reason: 'count',
      ended_at: at,
    },
  },
};

describe('task events', () => {
  it.each(Object.entries(valid))('accepts a valid %s event', (_name, event) => {
    expect(taskEventSchema.parse(event)).toEqual(event);
  });

  it('covers every declared event type with a sample', () => {
    expect(new Set(Object.values(valid).map((e) => e.type))).toEqual(
      new Set(Object.values(TASK_EVENT_TYPES)),
    );
  });

  const invalid: Array<[string, unknown, string]> = [
    [
      'series ended for an unknown reason',
      { type: TASK_EVENT_TYPES.seriesEnded, data: { ...valid.seriesEnded!.data, reason: 'bored' } },
      'data.reason',
    ],
    [
      'completed with a negative occurrence index',
      {
        type: TASK_EVENT_TYPES.completed,
        data: { ...valid.completed!.data, occurrence_index: -1 },
      },
      'data.occurrence_index',
    ],
    [
      'completed with a recurrence in an unknown zone',
      {
        type: TASK_EVENT_TYPES.completed,
        data: {
          ...valid.completed!.data,
          recurrence: { ...snapshot.recurrence!, timezone: 'Moon/Base' },
        },
      },
      'data.recurrence.timezone',
    ],
    ['unknown type', { type: 'com.todo.task.exploded.v1', data: {} }, 'type'],
    ['unversioned type', { type: 'com.todo.task.completed', data: valid.completed!.data }, 'type'],
    ['created without task', { type: TASK_EVENT_TYPES.created, data: {} }, 'data.task'],
    [
      'created with a bad priority',
      { type: TASK_EVENT_TYPES.created, data: { task: { ...snapshot, priority: 'urgent' } } },
      'data.task.priority',
    ],
    [
      'updated with no changed fields',
      { type: TASK_EVENT_TYPES.updated, data: { task: snapshot, changed: [] } },
      'data.changed',
    ],
    [
      'completed without completed_at',
      {
        type: TASK_EVENT_TYPES.completed,
        data: { ...valid.completed!.data, completed_at: undefined },
      },
      'data.completed_at',
    ],
    [
      'completed with a non-uuid task id',
      { type: TASK_EVENT_TYPES.completed, data: { ...valid.completed!.data, task_id: '42' } },
      'data.task_id',
    ],
    [
      'completed with a date that has no offset',
      {
        type: TASK_EVENT_TYPES.completed,
        data: { ...valid.completed!.data, due_at: '2026-03-01T09:00:00' },
      },
      'data.due_at',
    ],
    [
      'completed with an unknown anchor',
      {
        type: TASK_EVENT_TYPES.completed,
        data: {
          ...valid.completed!.data,
          recurrence: { ...snapshot.recurrence!, anchor: 'whenever' },
        },
      },
      'data.recurrence.anchor',
    ],
    [
      'completed with an extra field',
      { type: TASK_EVENT_TYPES.completed, data: { ...valid.completed!.data, is_admin: true } },
      'data',
    ],
    [
      'reopened without series_id',
      {
        type: TASK_EVENT_TYPES.reopened,
        data: { task_id: taskId, user_id: userId, reopened_at: at },
      },
      'data.series_id',
    ],
    [
      'deleted with a bad timestamp',
      {
        type: TASK_EVENT_TYPES.deleted,
        data: { task_id: taskId, user_id: userId, series_id: taskId, deleted_at: 'yesterday' },
      },
      'data.deleted_at',
    ],
  ];

  it.each(invalid)('rejects %s', (_name, event, path) => {
    const result = taskEventSchema.safeParse(event);
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((issue) => issue.path.join('.'));
    expect(paths).toContain(path);
  });
});
