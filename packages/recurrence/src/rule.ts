/** A parsed recurrence rule: the RFC 5545 RRULE subset this system supports, plus RFC 7529 SKIP. */

export const FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** RFC 5545 weekday codes, in ISO order (Monday = 1 ... Sunday = 7). */
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A BYDAY entry: a weekday, optionally the nth (or nth-from-last when negative) in the period. */
export interface ByDay {
  weekday: Weekday;
  ordinal?: number;
}

/**
 * What to do when a rule names a day a month does not have (the 31st of April, February 29th in a
 * common year). RFC 7529: OMIT skips it, BACKWARD uses the last valid day before it, FORWARD the
 * first valid day after it. A plain RRULE means what RFC 5545 says (OMIT), as every calendar
 * client reads it; month-end keeping ("monthly on the 31st" lands on Feb 28) is written out as
 * `RSCALE=GREGORIAN;SKIP=BACKWARD`, which the `recurring_type` shorthand does.
 */
export const SKIP_MODES = ['OMIT', 'BACKWARD', 'FORWARD'] as const;
export type Skip = (typeof SKIP_MODES)[number];
export const DEFAULT_SKIP: Skip = 'OMIT';

/** UNTIL is either an instant (`...Z`) or a calendar date, inclusive to the end of that day. */
export type Until =
  { kind: 'instant'; epochMs: number } | { kind: 'date'; year: number; month: number; day: number };

export interface Rule {
  freq: Frequency;
  interval: number;
  byDay: ByDay[];
  byMonthDay: number[];
  byMonth: number[];
  count?: number;
  until?: Until;
  wkst: Weekday;
  skip: Skip;
}

export const isoWeekday = (weekday: Weekday): number => WEEKDAYS.indexOf(weekday) + 1;

/** True when the rule pins occurrences to calendar parts rather than just repeating an interval. */
export const hasByParts = (rule: Rule): boolean =>
  rule.byDay.length > 0 || rule.byMonthDay.length > 0 || rule.byMonth.length > 0;
