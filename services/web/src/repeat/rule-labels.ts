import { ordinalSuffix } from '@todo/recurrence';
import type { Frequency, SetPosDays, Weekday } from './rule-builder';

export { MONTH_NAMES } from '@todo/recurrence';

/** The builder's words for the rule's parts (the API describes whole rules itself). */

export const WEEKDAY_NAMES: Record<Weekday, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};

export const FREQUENCY_NAMES: Record<Frequency, string> = {
  SECONDLY: 'Every second',
  MINUTELY: 'Every few minutes',
  HOURLY: 'Hourly',
  DAILY: 'Daily',
  WEEKLY: 'Weekly',
  MONTHLY: 'Monthly',
  YEARLY: 'Yearly',
};

const UNITS: Record<Frequency, [string, string]> = {
  SECONDLY: ['second', 'seconds'],
  MINUTELY: ['minute', 'minutes'],
  HOURLY: ['hour', 'hours'],
  DAILY: ['day', 'days'],
  WEEKLY: ['week', 'weeks'],
  MONTHLY: ['month', 'months'],
  YEARLY: ['year', 'years'],
};

/** "week" or "weeks", for the interval typed so far. */
export const unitOf = (freq: Frequency, interval: string): string =>
  UNITS[freq][interval.trim() === '1' ? 0 : 1];

export const ORDINAL_NAMES: Record<number, string> = {
  1: 'first',
  2: 'second',
  3: 'third',
  4: 'fourth',
  5: 'fifth',
  [-1]: 'last',
};

/** "15th", "last day". */
export const monthDayName = (day: number): string => (day === -1 ? 'last day' : ordinalSuffix(day));

/** BYSETPOS's day sets: "the last weekday", "the first weekend day". */
export const SET_POS_DAY_NAMES: Record<SetPosDays, string> = {
  weekday: 'weekday',
  'weekend-day': 'weekend day',
};

/** "week 1", "the last week". */
export const weekNumberName = (week: number): string => (week === -1 ? 'the last' : String(week));

/** "100th", "last day". */
export const yearDayName = (day: number): string => (day === -1 ? 'last day' : String(day));
