import type { StreamedTask, Task, TaskList, TaskStreamEvent } from '@todo/api-client';
import type { ListQuery, SortField } from '../tasks/task-types';

/** What a change does to the cached tasks. */
export type TaskChange = { kind: 'upsert'; task: Task } | { kind: 'delete'; taskId: string };

/** A change as it arrives: a stream change's task may lack `version` (withKnownVersion). */
export type IncomingChange =
  { kind: 'upsert'; task: StreamedTask } | { kind: 'delete'; taskId: string };

/** What the app does with one live-stream event. */
export type StreamAction =
  | { kind: 'change'; change: IncomingChange }
  /** Changes were missed (or the stream just started): the cached lists are refetched. */
  | { kind: 'refetch' }
  /** The account is gone: sign out. */
  | { kind: 'signed-out' }
  | { kind: 'none' };

export function actionForEvent(event: TaskStreamEvent): StreamAction {
  switch (event.event) {
    case 'created':
    case 'updated':
    case 'completed':
    case 'reopened':
      return { kind: 'change', change: { kind: 'upsert', task: event.data.task } };
    case 'deleted':
      return { kind: 'change', change: { kind: 'delete', taskId: event.data.task_id } };
    case 'ready':
    case 'reset':
      return { kind: 'refetch' };
    case 'account_deleted':
      return { kind: 'signed-out' };
    default:
      // series_ended changes no task (its last task's own event does), and events this app
      // does not know yet change nothing either.
      return { kind: 'none' };
  }
}

/** Whether the list the query describes holds `task`: the API's own filters, in the browser. */
export function matchesQuery(task: Task, query: ListQuery): boolean {
  const inList = (csv: string | undefined, value: string) =>
    csv === undefined || csv.split(',').includes(value);
  if (query.series_id !== undefined && task.series_id !== query.series_id) return false;
  if (!inList(query.status, task.status) || !inList(query.priority, task.priority)) return false;
  const tags = query.tag === undefined ? [] : Array.isArray(query.tag) ? query.tag : [query.tag];
  if (!tags.every((tag) => task.tags.includes(tag))) return false;
  if (query.due_before !== undefined || query.due_after !== undefined) {
    if (task.due_date === null) return false;
    const due = Date.parse(task.due_date);
    if (query.due_before !== undefined && !(due < Date.parse(query.due_before))) return false;
    if (query.due_after !== undefined && !(due >= Date.parse(query.due_after))) return false;
  }
  if (query.q !== undefined) {
    const needle = query.q.toLowerCase();
    const found = [task.title, task.description ?? ''].some((text) =>
      text.toLowerCase().includes(needle),
    );
    if (!found) return false;
  }
  return true;
}

const PRIORITY_RANK = { low: 0, medium: 1, high: 2 } as const;

const sortKey = (task: Task, sort: SortField): number | string | null => {
  switch (sort) {
    case 'created_at':
      return Date.parse(task.created_at);
    case 'updated_at':
      return Date.parse(task.updated_at);
    case 'due_date':
      return task.due_date === null ? null : Date.parse(task.due_date);
    case 'priority':
      return PRIORITY_RANK[task.priority];
    case 'title':
      return task.title;
  }
};

/**
 * The API's order: the sort field (tasks without a value last, either direction), then the id
 * in the same direction. Titles compare by code point, which can differ from the database's
 * collation; a list refetch settles that.
 */
export function compareForQuery(query: ListQuery): (a: Task, b: Task) => number {
  const sort = query.sort ?? 'created_at';
  const order = query.order ?? (sort === 'due_date' || sort === 'title' ? 'asc' : 'desc');
  const sign = order === 'asc' ? 1 : -1;
  return (a, b) => {
    const ka = sortKey(a, sort);
    const kb = sortKey(b, sort);
    if (ka !== kb) {
      if (ka === null) return 1;
      if (kb === null) return -1;
      return (ka < kb ? -1 : 1) * sign;
    }
    return a.id === b.id ? 0 : (a.id < b.id ? -1 : 1) * sign;
  };
}

/**
 * The task a change carries, with its version. The stream sends one, except for a change task-api
 * logged before its change log stored versions (task-api README, Conditional writes): then a
 * cached copy of the same state (same `updated_at`) gives it. Otherwise undefined: the task is
 * read again rather than cached without a version, so every cached task can be written with
 * `If-Match` as it stands.
 */
export function withKnownVersion(
  incoming: StreamedTask,
  cached: Task | undefined,
): Task | undefined {
  const { version } = incoming;
  if (version !== undefined) return { ...incoming, version };
  return cached?.updated_at === incoming.updated_at
    ? { ...incoming, version: cached.version }
    : undefined;
}

/**
 * One cached page of the list after a change, as far as the page itself can tell: a task it
 * shows is replaced, moved or dropped; a new one that matches goes where the order puts it if
 * that is on this page. `total` counts what the page can see; the list is refetched soon after
 * to settle what it cannot (a task moving onto or off another page).
 */
export function applyChangeToList(list: TaskList, query: ListQuery, change: TaskChange): TaskList {
  const index = list.items.findIndex((task) =>
    change.kind === 'delete' ? task.id === change.taskId : task.id === change.task.id,
  );
  const present = index >= 0;
  const without = present ? list.items.filter((_, i) => i !== index) : list.items;

  if (change.kind === 'delete') {
    return present ? { ...list, items: without, total: Math.max(0, list.total - 1) } : list;
  }
  const task = change.task;
  // An older version (a stream event behind a mutation's own answer) changes nothing.
  if (present && Date.parse(list.items[index]!.updated_at) > Date.parse(task.updated_at)) {
    return list;
  }
  if (!matchesQuery(task, query)) {
    return present ? { ...list, items: without, total: Math.max(0, list.total - 1) } : list;
  }
  const compare = compareForQuery(query);
  const position = without.findIndex((other) => compare(task, other) < 0);
  const at = position < 0 ? without.length : position;
  const total = present ? list.total : list.total + 1;
  // Sorts before this page's first task: it belongs on an earlier page (if there is one).
  const earlierPages = list.offset > 0 || query.cursor !== undefined;
  if (!present && at === 0 && earlierPages) return { ...list, total };
  // Sorts after a full page's last task: it belongs on a later page.
  if (at === without.length && without.length >= list.limit) {
    return present ? { ...list, items: without, total } : { ...list, total };
  }
  const items = [...without.slice(0, at), task, ...without.slice(at)].slice(0, list.limit);
  return { ...list, items, total };
}
