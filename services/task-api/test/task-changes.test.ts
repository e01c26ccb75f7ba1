import { describe, expect, it } from '@jest/globals';
import { TASK_EVENT_TYPES } from '@todo/contracts';
import { toSnapshot, type TaskRow } from '@todo/db';
import { completionFields, eventsForChange, eventsForCreate } from '../src/tasks/task-changes.js';

const created = new Date('2030-01-01T08:00:00Z');
const now = new Date('2030-01-02T10:30:00Z');

const taskRow = (overrides: Partial<TaskRow> = {}): TaskRow => ({
  id: '00000000-0000-4000-8000-000000000001',
  userId: '00000000-0000-4000-8000-000000000002',
  title: 'Gym',
  description: null,
  priority: 'medium',
  status: 'pending',
  tags: ['health'],
  dueAt: new Date('2030-01-03T07:00:00Z'),
  completedAt: null,
  recurrenceRule: 'FREQ=WEEKLY',
  recurrenceTimezone: 'Europe/Paris',
  recurrenceAnchor: 'due',
  recurrenceOverdue: 'skip',
  recurrenceDtstart: new Date('2030-01-03T07:00:00Z'),
  occurrenceIndex: 0,
  parentTaskId: null,
  seriesId: null,
  createdAt: created,
  updatedAt: created,
  version: 1,
  ...overrides,
});

const done = (row: TaskRow): TaskRow => ({
  ...row,
  status: 'done',
  completedAt: now,
  updatedAt: now,
});
const types = (events: Array<{ type: string }>) => events.map((event) => event.type);

describe('eventsForChange', () => {
  it('nothing for a write that changes nothing, or only the bookkeeping timestamps', () => {
    const before = taskRow();
    expect(eventsForChange(before, before, now)).toEqual([]);
    expect(eventsForChange(before, { ...before, updatedAt: now }, now)).toEqual([]);
  });

  it('an update naming the changed fields, carrying the task as it is after', () => {
    const before = taskRow();
    const after = { ...before, title: 'Swim', tags: ['health', 'water'], updatedAt: now };
    expect(eventsForChange(before, after, now)).toEqual([
      {
        type: TASK_EVENT_TYPES.updated,
        data: { task: toSnapshot(after), changed: ['title', 'tags'] },
      },
    ]);
  });

  it('an update for a status change that neither completes nor reopens', () => {
    const before = taskRow();
    const events = eventsForChange(before, { ...before, status: 'in_progress' }, now);
    expect(types(events)).toEqual([TASK_EVENT_TYPES.updated]);
    expect(events[0]!.data).toMatchObject({ changed: ['status'] });
  });

  it('only a completion when completing is the whole change', () => {
    const before = taskRow({ status: 'in_progress' });
    const after = done(before);
    expect(eventsForChange(before, after, now)).toEqual([
      {
        type: TASK_EVENT_TYPES.completed,
        data: expect.objectContaining({
          task_id: before.id,
          series_id: before.id,
          completed_at: now.toISOString(),
        }),
      },
    ]);
  });

  it('an update then a completion when other fields change in the same write', () => {
    const before = taskRow();
    const events = eventsForChange(before, { ...done(before), title: 'Swim' }, now);
    expect(types(events)).toEqual([TASK_EVENT_TYPES.updated, TASK_EVENT_TYPES.completed]);
    expect(events[0]!.data).toMatchObject({ changed: ['title', 'status'] });
  });

  it('a reopening, at the time of the change, in the series of a later occurrence', () => {
    const seriesId = '00000000-0000-4000-8000-0000000000aa';
    const before = done(taskRow({ seriesId, occurrenceIndex: 2 }));
    const after = { ...before, status: 'pending' as const, completedAt: null };
    expect(eventsForChange(before, after, now)).toEqual([
      {
        type: TASK_EVENT_TYPES.reopened,
        data: {
          task_id: before.id,
          user_id: before.userId,
          series_id: seriesId,
          reopened_at: now.toISOString(),
        },
      },
    ]);
  });

  it('an update then a reopening when other fields change in the same write', () => {
    const before = done(taskRow());
    const after = {
      ...before,
      status: 'in_progress' as const,
      completedAt: null,
      priority: 'high' as const,
    };
    const events = eventsForChange(before, after, now);
    expect(types(events)).toEqual([TASK_EVENT_TYPES.updated, TASK_EVENT_TYPES.reopened]);
    expect(events[0]!.data).toMatchObject({ changed: ['priority', 'status'] });
  });

  it('nothing for a completed task edited without touching anything the events carry', () => {
    const before = done(taskRow());
    expect(
      eventsForChange(before, { ...before, updatedAt: new Date('2030-02-01T00:00:00Z') }, now),
    ).toEqual([]);
  });
});

describe('eventsForCreate', () => {
  it('a creation, carrying the task', () => {
    const row = taskRow();
    expect(eventsForCreate(row)).toEqual([
      { type: TASK_EVENT_TYPES.created, data: { task: toSnapshot(row) } },
    ]);
  });

  it('a creation then a completion for a task created done', () => {
    expect(types(eventsForCreate(done(taskRow())))).toEqual([
      TASK_EVENT_TYPES.created,
      TASK_EVENT_TYPES.completed,
    ]);
  });
});

describe('completionFields', () => {
  const earlier = new Date('2029-12-31T12:00:00Z');

  it('no completion time for any status but done', () => {
    expect(completionFields({ status: 'done', completedAt: earlier }, 'pending', now)).toEqual({
      status: 'pending',
      completedAt: null,
    });
    expect(completionFields(undefined, 'in_progress', now)).toEqual({
      status: 'in_progress',
      completedAt: null,
    });
  });

  it('completing stamps the time of the change; staying done keeps the first completion', () => {
    expect(completionFields({ status: 'pending', completedAt: null }, 'done', now)).toEqual({
      status: 'done',
      completedAt: now,
    });
    expect(completionFields(undefined, 'done', now)).toEqual({ status: 'done', completedAt: now });
    expect(completionFields({ status: 'done', completedAt: earlier }, 'done', now)).toEqual({
      status: 'done',
      completedAt: earlier,
    });
  });
});
