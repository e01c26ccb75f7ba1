import {
  emptyByParts,
  formatRrule,
  parseRrule,
  RuleError,
  WEEKDAYS,
  type Frequency,
  type Rule,
  type Weekday,
} from '@todo/recurrence';
import { DateTime } from 'luxon';
import { pinDays, readDayPattern, usesMonthDay, patternOf } from './day-patterns';
import { formatTimes, parseTimes } from './times-of-day';

/**
 * The rule builder's state and its two-way mapping to RRULE values. Pure: the form component
 * holds the state, this module says which rule it means and which rules it can show.
 */

export { WEEKDAYS, type Frequency, type Weekday };
/** What the builder offers: every RFC 5545 frequency a task can use (SECONDLY is text only). */
export const FREQUENCIES: readonly Frequency[] = [
  'MINUTELY',
  'HOURLY',
  'DAILY',
  'WEEKLY',
  'MONTHLY',
  'YEARLY',
];
/** Frequencies whose periods are days or longer: they take days and times of day. */
export const DAY_FREQUENCIES: readonly Frequency[] = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];

/** Which day of the month (or of the year) a monthly (yearly) rule falls on. */
export type DayPattern =
  /** No BY parts: the due date's day (date), as the API's shorthand does. */
  | 'same-day'
  /** BYMONTHDAY (with BYMONTH for yearly): "on the 15th", "on the last day". */
  | 'day'
  /** BYDAY with an ordinal (with BYMONTH for yearly): "the 2nd Tuesday", "the last Friday". */
  | 'weekday'
  /** BYDAY weekdays or weekend days with BYSETPOS: "the last weekday of the month". */
  | 'setpos'
  /** Yearly only, BYWEEKNO with one BYDAY: "Monday of week 1". */
  | 'week-number'
  /** Yearly only, BYYEARDAY: "day 100 of the year", "the last day of the year". */
  | 'year-day';

/** The day sets a BYSETPOS pattern picks among. */
export const SET_POS_DAYS = {
  weekday: ['MO', 'TU', 'WE', 'TH', 'FR'],
  'weekend-day': ['SA', 'SU'],
} as const satisfies Record<string, readonly Weekday[]>;
export type SetPosDays = keyof typeof SET_POS_DAYS;
/** Week numbers and days of the year the builder offers; -1 is "the last". */
export const WEEK_NUMBERS = [...Array.from({ length: 53 }, (_, i) => i + 1), -1] as const;
export const YEAR_DAYS = [...Array.from({ length: 366 }, (_, i) => i + 1), -1] as const;

export type EndKind = 'never' | 'until' | 'count';

/** Ordinals the builder offers; -1 is "the last". RFC 5545 allows ±1..5 in a month. */
export const ORDINALS = [1, 2, 3, 4, 5, -1] as const;
/** Month days the builder offers; -1 is "the last day". */
export const MONTH_DAYS = [...Array.from({ length: 31 }, (_, i) => i + 1), -1] as const;

/**
 * Everything the builder's inputs hold. Every frequency's choices stay in the state, so switching
 * from monthly to weekly and back keeps what was chosen. Numbers typed by the user stay text until
 * `ruleOf` reads them, so a half-typed "1" of "12" is not refused or rewritten under the cursor.
 */
export interface RuleBuilderState {
  freq: Frequency;
  /** INTERVAL, as typed. */
  interval: string;
  /** Weekly: the chosen days; none means the due date's weekday. */
  weekdays: Weekday[];
  monthly: DayPattern;
  yearly: DayPattern;
  /** For `day`: 1..31, or -1 for the last day of the month. */
  monthDay: number;
  /** For `weekday`: 1..5, or -1 for the last. */
  ordinal: number;
  weekday: Weekday;
  /** Yearly `day` and `weekday`: 1..12. */
  month: number;
  /** For `setpos`: which days the ordinal counts. */
  setPosDays: SetPosDays;
  /** For `week-number`: 1..53, or -1 for the last week. */
  weekNo: number;
  /** For `year-day`: 1..366, or -1 for the last day. */
  yearDay: number;
  /** Daily to yearly: times of day as typed ("8:00, 20:00"); empty is the due date's time. */
  times: string;
  /** Monthly/yearly: a day a month lacks (the 31st, 29 February) moves to its last day (SKIP=BACKWARD) instead of being skipped. */
  keepMonthEnd: boolean;
  end: EndKind;
  /** `YYYY-MM-DD`, inclusive, in the series' zone. */
  until: string;
  /** COUNT, as typed. */
  count: string;
}

export const MAX_INTERVAL = 1000;
export const MAX_COUNT = 10_000;

/** A new builder's choices, taken from the due date (or today) so the first rule matches it. */
export function defaultBuilderState(start: string | null, zone: string): RuleBuilderState {
  const date = (start ? DateTime.fromISO(start, { zone }) : DateTime.now().setZone(zone)).startOf(
    'day',
  );
  const weekOfMonth = Math.ceil(date.day / 7);
  return {
    freq: 'WEEKLY',
    interval: '1',
    weekdays: [],
    monthly: 'same-day',
    yearly: 'same-day',
    monthDay: date.day,
    // A fifth weekday is also the month's last; "the last" is what people mean by it.
    ordinal: weekOfMonth === 5 ? -1 : weekOfMonth,
    weekday: WEEKDAYS[date.weekday - 1]!,
    month: date.month,
    setPosDays: 'weekday',
    weekNo: date.weekNumber,
    yearDay: date.ordinal,
    times: '',
    keepMonthEnd: true,
    end: 'never',
    until: '',
    count: '10',
  };
}

/** What the builder's state means: a rule, or which input is not finished. */
export type BuiltRule =
  { rrule: string } | { field: 'interval' | 'times' | 'until' | 'count'; message: string };

const wholeNumber = (text: string, max: number): number | undefined => {
  if (!/^\s*\d+\s*$/.test(text)) return undefined;
  const value = Number(text);
  return value >= 1 && value <= max ? value : undefined;
};

/**
 * The canonical RRULE value of the builder's state. A rule repeated from the completion time
 * cannot pin calendar days (the API refuses BYDAY, BYMONTHDAY and BYMONTH with it), so with
 * `anchor: 'completion'` only the frequency, the interval and the end are written.
 */
export function ruleOf(state: RuleBuilderState, anchor: 'due' | 'completion' = 'due'): BuiltRule {
  const interval = wholeNumber(state.interval, MAX_INTERVAL);
  if (interval === undefined) {
    return { field: 'interval', message: `Enter a whole number from 1 to ${MAX_INTERVAL}.` };
  }
  const rule: Rule = {
    freq: state.freq,
    interval,
    ...emptyByParts(),
    wkst: 'MO',
    skip: 'OMIT',
  };
  if (anchor === 'due' && DAY_FREQUENCIES.includes(state.freq)) {
    pinDays(rule, state);
    const times = parseTimes(state.times);
    if (times && 'error' in times) return { field: 'times', message: times.error };
    if (times) {
      rule.byHour = times.hours;
      rule.byMinute = times.minutes;
    }
  }
  if (state.end === 'count') {
    const count = wholeNumber(state.count, MAX_COUNT);
    if (count === undefined) {
      return { field: 'count', message: `Enter a whole number from 1 to ${MAX_COUNT}.` };
    }
    rule.count = count;
  } else if (state.end === 'until') {
    const until = DateTime.fromISO(state.until, { zone: 'UTC' });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(state.until) || !until.isValid) {
      return { field: 'until', message: 'Choose the last day.' };
    }
    // A date-only UNTIL: the API includes that whole day in the series' zone.
    rule.until = { kind: 'date', year: until.year, month: until.month, day: until.day };
  }
  return { rrule: formatRrule(rule) };
}

/** An RRULE value read for the builder: its state, or why the builder cannot show it. */
export type ReadRule =
  | { kind: 'builder'; state: RuleBuilderState }
  | { kind: 'custom'; reason: string }
  | { kind: 'invalid'; message: string };

/**
 * The builder state that writes `rrule` again (the same canonical rule), or `custom` naming
 * what the builder has no input for. `defaults` fills the choices the rule does not make (the
 * weekday of a monthly rule on the 15th). `zone` reads an UNTIL date-time as a day: the API
 * stores a date-only UNTIL as that day's last second in the series' zone.
 */
export function readRule(rrule: string, defaults: RuleBuilderState, zone: string): ReadRule {
  let rule: Rule;
  try {
    rule = parseRrule(rrule);
  } catch (error) {
    if (error instanceof RuleError) return { kind: 'invalid', message: error.message };
    throw error;
  }
  const custom = (reason: string): ReadRule => ({ kind: 'custom', reason });
  if (rule.wkst !== 'MO') return custom('it names the week’s first day (WKST)');
  if (rule.skip === 'FORWARD') return custom('it moves missing days forward (SKIP=FORWARD)');
  if (!FREQUENCIES.includes(rule.freq)) return custom('it repeats every few seconds');

  const state: RuleBuilderState = {
    ...defaults,
    freq: rule.freq,
    interval: String(rule.interval),
    // Daily and weekly rules carry no SKIP: the default stays for a switch to monthly.
    keepMonthEnd:
      rule.freq === 'MONTHLY' || rule.freq === 'YEARLY'
        ? rule.skip === 'BACKWARD'
        : defaults.keepMonthEnd,
    end: 'never',
  };
  const days = rule.byDay;
  const pinned = days.length > 0 || rule.byMonthDay.length > 0 || rule.byMonth.length > 0;

  switch (rule.freq) {
    case 'MINUTELY':
    case 'HOURLY':
      // The round trip below refuses any BY part: the builder offers only the interval here.
      break;
    case 'DAILY':
      if (pinned) return custom('it limits a daily rule to some days or months');
      break;
    case 'WEEKLY':
      if (rule.byMonth.length > 0) return custom('it limits a weekly rule to some months');
      state.weekdays = WEEKDAYS.filter((day) => days.some((d) => d.weekday === day));
      break;
    case 'MONTHLY': {
      if (rule.byMonth.length > 0) return custom('it limits a monthly rule to some months');
      const pattern = readDayPattern(rule, state);
      if (!pattern) return custom('it picks several days of the month');
      state.monthly = pattern;
      break;
    }
    case 'YEARLY': {
      const pattern = readDayPattern(rule, state);
      const withoutMonth =
        pattern === 'same-day' || pattern === 'week-number' || pattern === 'year-day';
      if (!pattern || (withoutMonth ? rule.byMonth.length > 0 : rule.byMonth.length !== 1)) {
        return custom('it names several months or days, or a month without a day');
      }
      state.yearly = pattern;
      if (!withoutMonth) state.month = rule.byMonth[0]!;
      break;
    }
  }
  if (state.keepMonthEnd && patternOf(state) && !usesMonthDay(patternOf(state))) {
    return custom('it moves missing days back (SKIP) on a weekday rule');
  }
  if (rule.byHour.length && rule.byMinute.length) {
    state.times = formatTimes(rule.byHour, rule.byMinute);
  }

  // The rule as the builder writes it: an UNTIL that ends a whole day becomes that day.
  // Weekdays in any order mean the same days; the builder writes them in the week's order.
  const expected: Rule = {
    ...rule,
    byDay: days.every((d) => d.ordinal === undefined)
      ? WEEKDAYS.flatMap((day) => days.filter((d) => d.weekday === day))
      : days,
  };
  if (rule.count !== undefined) {
    state.end = 'count';
    state.count = String(rule.count);
  } else if (rule.until) {
    const until = untilDay(rule.until, zone);
    if (!until) return custom('it ends at a time of day rather than after a whole day (UNTIL)');
    state.end = 'until';
    state.until = until;
    const [year, month, day] = until.split('-').map(Number) as [number, number, number];
    expected.until = { kind: 'date', year, month, day };
  }
  const built = ruleOf(state);
  // The last word on what the builder can show: it writes the same rule again.
  return 'rrule' in built && built.rrule === formatRrule(expected)
    ? { kind: 'builder', state }
    : custom('the builder would write it differently');
}

/** `YYYY-MM-DD` of an UNTIL that ends a whole day in `zone`, or undefined for a time of day. */
function untilDay(until: NonNullable<Rule['until']>, zone: string): string | undefined {
  if (until.kind === 'date') {
    return DateTime.utc(until.year, until.month, until.day).toISODate() ?? undefined;
  }
  const local = DateTime.fromMillis(until.epochMs, { zone });
  const endOfDay = local.endOf('day').startOf('second');
  return local.equals(endOfDay) ? (local.toISODate() ?? undefined) : undefined;
}
