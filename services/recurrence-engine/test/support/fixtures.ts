import { randomUUID } from 'node:crypto';
import {
  EVENT_SOURCES,
  TASK_EVENT_TYPES,
  toDeliveredCloudEvent,
  type TaskCompletedData,
} from '@todo/contracts';
import { tasks, toCompletedData, users, type NewTaskRow, type TaskRow } from '@todo/db';
import type { TestDatabase } from '@todo/db/testing';
import { eq } from 'drizzle-orm';

export async function insertUser(database: TestDatabase): Promise<string> {
  const [user] = await database.db
    .insert(users)
    .values({ email: `${randomUUID()}@example.com`, passwordHash: 'not-used' })
    .returning();
  return user!.id;
}

/** A recurring task that is done, as task-api would have left it after a completion. */
export async function insertCompletedTask(
  database: TestDatabase,
  userId: string,
  overrides: Partial<NewTaskRow> = {},
): Promise<TaskRow> {
  const dueAt = new Date('2026-03-02T09:00:00Z');
  const [row] = await database.db
    .insert(tasks)
    .values({
      userId,
      title: 'Weekly review',
      description: 'Inbox zero',
      priority: 'high',
      tags: ['work', 'planning'],
      status: 'done',
      dueAt,
      completedAt: new Date('2026-03-02T10:30:00Z'),
      recurrenceRule: 'FREQ=WEEKLY',
      recurrenceTimezone: 'Europe/Paris',
      recurrenceAnchor: 'due',
      recurrenceOverdue: 'skip',
      recurrenceDtstart: dueAt,
      ...overrides,
    })
    .returning();
  return row!;
}

/** The CloudEvent Dapr would deliver for a task's completion. */
export function completedEnvelope(
  task: TaskRow,
  options: { id?: string; data?: Partial<TaskCompletedData> } = {},
) {
  return toDeliveredCloudEvent({
    id: options.id ?? randomUUID(),
    source: EVENT_SOURCES.taskApi,
    type: TASK_EVENT_TYPES.completed,
    time: task.completedAt!.toISOString(),
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    data: { ...toCompletedData(task), ...options.data },
  });
}

/** A daily task's completion event for a task that exists nowhere (for an engine without a database). */
export function recurringCompletionWithoutTask() {
  return toDeliveredCloudEvent({
    id: randomUUID(),
    source: EVENT_SOURCES.taskApi,
    type: TASK_EVENT_TYPES.completed,
    time: '2026-03-02T10:30:00Z',
    data: {
      task_id: randomUUID(),
      user_id: randomUUID(),
      series_id: randomUUID(),
      parent_task_id: null,
      title: 't',
      description: null,
      priority: 'medium',
      tags: [],
      due_at: '2026-03-02T09:00:00Z',
      occurrence_index: 0,
      completed_at: '2026-03-02T10:30:00Z',
      recurrence: {
        rrule: 'FREQ=DAILY',
        timezone: 'UTC',
        anchor: 'due',
        overdue: 'skip',
        dtstart: '2026-03-02T09:00:00Z',
      },
    },
  });
}

export async function childrenOf(database: TestDatabase, parentId: string): Promise<TaskRow[]> {
  return database.db.select().from(tasks).where(eq(tasks.parentTaskId, parentId));
}
