/** A parsed recurrence rule: RFC 5545's RRULE grammar, plus RFC 7529 RSCALE=GREGORIAN with SKIP. */

export const FREQUENCIES = [
  'SECONDLY',
  'MINUTELY',
  'HOURLY',
  'DAILY',
  'WEEKLY',
  'MONTHLY',
  'YEARLY',
] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** Frequencies whose period is shorter than a day; their INTERVAL counts this many seconds. */
export const SUB_DAILY_SECONDS = { SECONDLY: 1, MINUTELY: 60, HOURLY: 3600 } as const;
export type SubDailyFrequency = keyof typeof SUB_DAILY_SECONDS;
export const isSubDaily = (freq: Frequency): freq is SubDailyFrequency => freq in SUB_DAILY_SECONDS;

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

/** Every list is sorted and distinct except byDay, which keeps the order written. */
export interface Rule {
  freq: Frequency;
  interval: number;
  bySecond: number[];
  byMinute: number[];
  byHour: number[];
  byDay: ByDay[];
  byMonthDay: number[];
  byYearDay: number[];
  byWeekNo: number[];
  byMonth: number[];
  bySetPos: number[];
  count?: number;
  until?: Until;
  wkst: Weekday;
  skip: Skip;
}

type ByParts = Pick<
  Rule,
  | 'bySecond'
  | 'byMinute'
  | 'byHour'
  | 'byDay'
  | 'byMonthDay'
  | 'byYearDay'
  | 'byWeekNo'
  | 'byMonth'
  | 'bySetPos'
>;

/** No BY parts (fresh lists each time): the base every constructor of rules starts from. */
export const emptyByParts = (): ByParts => ({
  bySecond: [],
  byMinute: [],
  byHour: [],
  byDay: [],
  byMonthDay: [],
  byYearDay: [],
  byWeekNo: [],
  byMonth: [],
  bySetPos: [],
});

export const isoWeekday = (weekday: Weekday): number => WEEKDAYS.indexOf(weekday) + 1;

/** True when the rule pins occurrences to calendar or clock parts rather than just an interval. */
export const hasByParts = (rule: Rule): boolean =>
  rule.bySecond.length > 0 ||
  rule.byMinute.length > 0 ||
  rule.byHour.length > 0 ||
  rule.byDay.length > 0 ||
  rule.byMonthDay.length > 0 ||
  rule.byYearDay.length > 0 ||
  rule.byWeekNo.length > 0 ||
  rule.byMonth.length > 0 ||
  rule.bySetPos.length > 0;
