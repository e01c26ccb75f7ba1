import type { Task, TaskList } from '@todo/api-client';
import { formatRrule, parseRrule } from '@todo/recurrence';
import type { ListQuery } from '../tasks/task-types';

/**
 * A series' occurrences, from the list filtered by `series_id`, and the request for its next
 * dates. Pure.
 */

/** Occurrences per list request (task-api's largest page). */
export const SERIES_PAGE = 100;

/** The list query of one series, in creation order (the order occurrences are made in). */
export function seriesQuery(seriesId: string): ListQuery {
  return { series_id: seriesId, sort: 'created_at', order: 'asc' };
}

/**
 * Every task of a query as one cached list: its limit is no limit, so a change the live stream
 * brings is placed among them rather than left to a next page there is none of.
 */
export function wholeList(items: Task[]): TaskList {
  return {
    items,
    total: items.length,
    total_capped: false,
    limit: Number.MAX_SAFE_INTEGER,
    offset: 0,
    next_cursor: null,
  };
}

/** How many next dates the page shows. */
export const NEXT_DATES = 5;
/** The preview's largest count (task-api's MAX_PREVIEW): room to skip the dates already past. */
export const PREVIEW_COUNT = 100;

/**
 * The occurrences of `shown`'s series among `tasks`, once each, in series order (the task shown
 * may be a newer copy than the list's).
 */
export function seriesOccurrences(shown: Task, tasks: readonly Task[]): Task[] {
  const byId = new Map<string, Task>();
  for (const task of [shown, ...tasks]) {
    if (task.series_id !== shown.series_id) continue;
    const known = byId.get(task.id);
    // Two copies of one task (the list's and the detail's): the newer wins.
    if (!known || Date.parse(task.updated_at) > Date.parse(known.updated_at)) {
      byId.set(task.id, task);
    }
  }
  return [...byId.values()].sort(
    (a, b) => a.occurrence_index - b.occurrence_index || a.created_at.localeCompare(b.created_at),
  );
}

/** What to ask the preview for the next dates after the series' latest occurrence, or why not. */
export type NextDatesPlan =
  | {
      kind: 'preview';
      query: { rrule: string; start: string; tz: string; count: number };
      /** Only dates strictly after this instant are next ones. */
      after: string;
      take: number;
    }
  | { kind: 'none'; reason: string };

/**
 * The next dates of a series whose latest occurrence is `latest`: its rule from its due date
 * (the series' alignment), without COUNT (the occurrences left are counted here), and, under the
 * `skip` policy, only dates still ahead of `now`, as completing it now would give.
 */
export function nextDatesPlan(latest: Task, now: Date, wanted = NEXT_DATES): NextDatesPlan {
  const recurrence = latest.recurrence;
  if (!recurrence) return { kind: 'none', reason: 'This series no longer repeats.' };
  if (latest.status === 'done') {
    return { kind: 'none', reason: 'Its latest occurrence is done; the next one appears shortly.' };
  }
  if (recurrence.anchor === 'completion') {
    return {
      kind: 'none',
      reason: 'It repeats from each completion, so the next date is known once this one is done.',
    };
  }
  if (!latest.due_date) {
    return { kind: 'none', reason: 'Without a due date, the next one follows its completion.' };
  }
  const rule = parseRrule(recurrence.rrule);
  // COUNT counts the occurrences created, the first included; occurrence_index is 0-based.
  const left = rule.count === undefined ? Infinity : rule.count - latest.occurrence_index - 1;
  if (left <= 0) return { kind: 'none', reason: 'This is the last occurrence of the series.' };
  delete rule.count;
  const due = latest.due_date;
  const after =
    recurrence.overdue === 'skip' && Date.parse(due) < now.getTime() ? now.toISOString() : due;
  return {
    kind: 'preview',
    query: { rrule: formatRrule(rule), start: due, tz: recurrence.timezone, count: PREVIEW_COUNT },
    after,
    take: Math.min(wanted, left),
  };
}

/** The preview's occurrences that are next ones under the plan. */
export function nextDates(
  plan: Extract<NextDatesPlan, { kind: 'preview' }>,
  occurrences: readonly string[],
): string[] {
  const after = Date.parse(plan.after);
  return occurrences.filter((at) => Date.parse(at) > after).slice(0, plan.take);
}
