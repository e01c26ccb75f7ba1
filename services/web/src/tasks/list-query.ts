import { startOfDay, toMinute } from '../time/zoned-time';
import { pageWindow } from './paging';
import {
  PRIORITIES,
  SORT_FIELDS,
  STATUSES,
  type ListQuery,
  type SortField,
  type TaskPriority,
  type TaskStatus,
} from './task-types';

/** The list's views: each narrows the list by due date, in the user's zone. */
export const VIEWS = ['all', 'today', 'upcoming', 'overdue'] as const;
export type View = (typeof VIEWS)[number];
export const VIEW_LABELS: Record<View, string> = {
  all: 'All',
  today: 'Today',
  upcoming: 'Upcoming',
  overdue: 'Overdue',
};

/** What the list shows, as kept in the page's URL (so reload, back and links keep it). */
export interface ListState {
  view: View;
  q: string;
  status: TaskStatus[];
  priority: TaskPriority[];
  tag: string;
  sort: SortField | undefined;
  order: 'asc' | 'desc' | undefined;
  /** The cursors that led to the page shown (paging.ts); empty on the first page. */
  after: string[];
}

export const DEFAULT_LIST_STATE: ListState = {
  view: 'all',
  q: '',
  status: [],
  priority: [],
  tag: '',
  sort: undefined,
  order: undefined,
  after: [],
};

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | undefined =>
  values.find((candidate) => candidate === value);

const listOf = <T extends string>(values: readonly T[], value: string | null): T[] =>
  (value ?? '')
    .split(',')
    .map((item) => oneOf(values, item.trim()))
    .filter((item): item is T => item !== undefined);

/** Reads the list state from a URL's search; unknown or malformed values fall back to defaults. */
export function parseListState(search: URLSearchParams): ListState {
  return {
    view: oneOf(VIEWS, search.get('view')) ?? 'all',
    q: search.get('q')?.trim() ?? '',
    status: listOf(STATUSES, search.get('status')),
    priority: listOf(PRIORITIES, search.get('priority')),
    tag: search.get('tag')?.trim() ?? '',
    sort: oneOf(SORT_FIELDS, search.get('sort')),
    order: oneOf(['asc', 'desc'] as const, search.get('order')),
    after: search.getAll('after').filter((cursor) => cursor.length > 0),
  };
}

/** The URL search for a list state, without the defaults. */
export function listStateToSearch(state: ListState): URLSearchParams {
  const search = new URLSearchParams();
  if (state.view !== 'all') search.set('view', state.view);
  if (state.q) search.set('q', state.q);
  if (state.status.length) search.set('status', state.status.join(','));
  if (state.priority.length) search.set('priority', state.priority.join(','));
  if (state.tag) search.set('tag', state.tag);
  if (state.sort) search.set('sort', state.sort);
  if (state.order) search.set('order', state.order);
  for (const cursor of state.after) search.append('after', cursor);
  return search;
}

const OPEN: TaskStatus[] = ['pending', 'in_progress'];

/**
 * The API query for a list state. Views are due-date windows in the user's zone (today, from
 * tomorrow on, before now) that show open tasks sorted by due date unless the user chose
 * otherwise. "Now" is taken to the minute, so the query (and its cache entry) stays the same
 * for a minute rather than changing on every render.
 */
export function toListQuery(state: ListState, zone: string, now: Date): ListQuery {
  const query: ListQuery = { ...pageWindow(state.after) };
  const view = viewQuery(state.view, zone, now);
  Object.assign(query, view);
  if (state.q) query.q = state.q;
  if (state.status.length) query.status = state.status.join(',');
  if (state.priority.length) query.priority = state.priority.join(',');
  if (state.tag) query.tag = state.tag;
  if (state.sort) query.sort = state.sort;
  if (state.order) query.order = state.order;
  return query;
}

function viewQuery(view: View, zone: string, now: Date): Partial<ListQuery> {
  const open = { status: OPEN.join(','), sort: 'due_date' as const };
  switch (view) {
    case 'all':
      return {};
    case 'today':
      return { ...open, due_after: startOfDay(zone, now), due_before: startOfDay(zone, now, 1) };
    case 'upcoming':
      return { ...open, due_after: startOfDay(zone, now, 1) };
    case 'overdue':
      return { ...open, due_before: toMinute(zone, now) };
  }
}
