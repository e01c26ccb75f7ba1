import { describeRule, parseRrule, shorthandOf } from '@todo/recurrence';
import { LRUCache } from 'lru-cache';
import { DateTime } from 'luxon';

/** What a task answer shows of its rule, computed from the rule text, zone and series start. */
export interface RecurrenceView {
  shorthand: ReturnType<typeof shorthandOf>;
  description: string;
}

/**
 * Every list page maps up to 100 rows, and a recurring row's rule was parsed twice and described
 * each time (16 µs a row against 4 for a one-off task, measured with the mapping alone): most of a
 * page's rows share a few series, so the view is kept per (rule, zone, start). Bounded, so a user
 * who writes many distinct rules costs memory once and is evicted.
 */
export const RECURRENCE_VIEW_CACHE_SIZE = 2_000;
const views = new LRUCache<string, RecurrenceView>({ max: RECURRENCE_VIEW_CACHE_SIZE });

export function recurrenceViewOf(
  rrule: string,
  timezone: string | null,
  start: Date | null,
): RecurrenceView {
  const key = `${rrule}\n${timezone ?? ''}\n${start?.getTime() ?? ''}`;
  const cached = views.get(key);
  if (cached) return cached;
  const rule = parseRrule(rrule);
  const view: RecurrenceView = {
    shorthand: shorthandOf(rule),
    description: describeRule(
      rule,
      start && timezone ? DateTime.fromJSDate(start, { zone: timezone }) : undefined,
    ),
  };
  views.set(key, view);
  return view;
}
