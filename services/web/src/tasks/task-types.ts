import type { operations, Task } from '@todo/api-client';

/** The list operation's query, as the API takes it. */
export type ListQuery = NonNullable<operations['listTasks']['parameters']['query']>;
export type TaskStatus = Task['status'];
export type TaskPriority = Task['priority'];
export type SortField = NonNullable<ListQuery['sort']>;

export const STATUSES: readonly TaskStatus[] = ['pending', 'in_progress', 'done'];
export const PRIORITIES: readonly TaskPriority[] = ['low', 'medium', 'high'];
export const SORT_FIELDS: readonly SortField[] = [
  'created_at',
  'updated_at',
  'due_date',
  'priority',
  'title',
];

export const STATUS_LABELS: Record<TaskStatus, string> = {
  pending: 'To do',
  in_progress: 'In progress',
  done: 'Done',
};
export const SORT_LABELS: Record<SortField, string> = {
  created_at: 'Newest',
  updated_at: 'Recently changed',
  due_date: 'Due date',
  priority: 'Priority',
  title: 'Title',
};
