import type { Task, TaskList } from '@todo/api-client';

let next = 0;

/** A task as the API returns it; ids sort in creation order. */
export function aTask(fields: Partial<Task> = {}): Task {
  next += 1;
  const id = `00000000-0000-4000-8000-${String(next).padStart(12, '0')}`;
  return {
    id,
    title: `Task ${next}`,
    description: null,
    priority: 'medium',
    status: 'pending',
    tags: [],
    due_date: null,
    completed_at: null,
    recurring_type: 'none',
    recurring_end_date: null,
    recurrence: null,
    parent_task_id: null,
    series_id: id,
    occurrence_index: 0,
    created_at: '2026-03-01T10:00:00Z',
    updated_at: '2026-03-01T10:00:00Z',
    version: 1,
    ...fields,
  };
}

export function aPage(items: Task[], fields: Partial<TaskList> = {}): TaskList {
  return {
    items,
    total: items.length,
    limit: 20,
    offset: 0,
    next_cursor: null,
    ...fields,
  } as TaskList;
}
