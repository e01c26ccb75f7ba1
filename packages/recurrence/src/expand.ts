import { DateTime } from 'luxon';
import {
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  MS_PER_DAY,
  weekdayOfDay,
} from './civil-days.js';
import { LATEST_INSTANT_MS } from './instant-range.js';
import { isoWeekday, type ByDay, type Rule, type Skip } from './rule.js';
import { placeInZone, toFloating } from './zoned-time.js';

/**
 * How expansion stays cheap for every accepted rule and date:
 * - it works on integer day numbers (civil-days.ts) and places only the occurrences it yields in
 *   the zone (luxon);
 * - given an `after` instant it jumps straight to the first period that can reach it, instead of
 *   walking from the series start (a series may start in 1900);
 * - it gives up after a whole calendar cycle of empty periods: the Gregorian calendar repeats every
 *   400 years (146097 days = 20871 weeks = 4800 months), so the rule's pattern over its aligned
 *   periods repeats after CYCLE / gcd(INTERVAL, CYCLE) of them, and a cycle with no occurrence
 *   means there will never be one (29 February on a Monday comes back after 28 years, inside it);
 * - and nothing goes past 9999-12-31 (instant-range.ts).
 * Together: at most 146097 integer steps for a rule that never occurs again, a few hundred for
 * ordinary ones. `pnpm bench` measures the worst accepted cases.
 */
const CYCLE = { DAILY: 146_097, WEEKLY: 20_871, MONTHLY: 4_800, YEARLY: 400 } as const;
const LAST_DAY = daysFromCivil(9999, 12, 31);

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** A day-of-month the month may not have, resolved per RFC 7529 SKIP. */
function resolveDay(year: number, month: number, day: number, skip: Skip): number[] {
  const first = daysFromCivil(year, month, 1);
  const length = daysInMonth(year, month);
  if (day >= 1 && day <= length) return [first + day - 1];
  if (skip === 'OMIT') return [];
  if (skip === 'BACKWARD') return [day > length ? first + length - 1 : first - 1];
  return [day > length ? first + length : first];
}

function nthOf(days: number[], ordinal: number | undefined): number[] {
  if (ordinal === undefined) return days;
  const picked = ordinal > 0 ? days[ordinal - 1] : days[days.length + ordinal];
  return picked === undefined ? [] : [picked];
}

function weekdaysIn(from: number, to: number, weekday: number): number[] {
  const days: number[] = [];
  for (let day = from + ((weekday - weekdayOfDay(from) + 7) % 7); day <= to; day += 7)
    days.push(day);
  return days;
}

function monthDayOf(dayOfMonth: number, length: number): number {
  return dayOfMonth > 0 ? dayOfMonth : length + dayOfMonth + 1;
}

function matchesByDayInMonth(day: number, dayOfMonth: number, length: number, byDay: ByDay[]) {
  const weekday = weekdayOfDay(day);
  return byDay.some((entry) => {
    if (isoWeekday(entry.weekday) !== weekday) return false;
    if (entry.ordinal === undefined) return true;
    const fromStart = Math.ceil(dayOfMonth / 7);
    const fromEnd = -(Math.floor((length - dayOfMonth) / 7) + 1);
    return entry.ordinal === fromStart || entry.ordinal === fromEnd;
  });
}

function daysOfMonth(rule: Rule, year: number, month: number, defaultDay: number): number[] {
  const first = daysFromCivil(year, month, 1);
  const length = daysInMonth(year, month);
  if (rule.byMonthDay.length > 0) {
    const days = rule.byMonthDay.flatMap((d) =>
      resolveDay(year, month, monthDayOf(d, length), rule.skip),
    );
    return rule.byDay.length > 0
      ? days.filter((day) => {
          // A day moved by SKIP into a neighbouring month is matched against that month.
          const civil = civilFromDays(day);
          return matchesByDayInMonth(
            day,
            civil.day,
            daysInMonth(civil.year, civil.month),
            rule.byDay,
          );
        })
      : days;
  }
  if (rule.byDay.length > 0) {
    const last = first + length - 1;
    return rule.byDay.flatMap((entry) =>
      nthOf(weekdaysIn(first, last, isoWeekday(entry.weekday)), entry.ordinal),
    );
  }
  return resolveDay(year, month, defaultDay, rule.skip);
}

function daysOfYearByWeekday(rule: Rule, year: number): number[] {
  const first = daysFromCivil(year, 1, 1);
  const last = daysFromCivil(year, 12, 31);
  return rule.byDay.flatMap((entry) =>
    nthOf(weekdaysIn(first, last, isoWeekday(entry.weekday)), entry.ordinal),
  );
}

function matchesDailyFilters(rule: Rule, day: number): boolean {
  if (rule.byDay.length && !rule.byDay.some((e) => isoWeekday(e.weekday) === weekdayOfDay(day)))
    return false;
  if (rule.byMonth.length || rule.byMonthDay.length) {
    const civil = civilFromDays(day);
    if (rule.byMonth.length && !rule.byMonth.includes(civil.month)) return false;
    if (rule.byMonthDay.length) {
      const length = daysInMonth(civil.year, civil.month);
      if (!rule.byMonthDay.some((d) => monthDayOf(d, length) === civil.day)) return false;
    }
  }
  return true;
}

/** Where the series starts, in the units each frequency counts periods in. */
interface Base {
  startDay: number;
  /** Milliseconds after local midnight: every occurrence keeps DTSTART's wall-clock time. */
  timeMs: number;
  startDayOfMonth: number;
  startMonth: number;
  startWeekday: number;
  weekStart: number;
  monthIndex: number;
  year: number;
}

function baseOf(rule: Rule, startFloatingMs: number): Base {
  const startDay = Math.floor(startFloatingMs / MS_PER_DAY);
  const civil = civilFromDays(startDay);
  const startWeekday = weekdayOfDay(startDay);
  return {
    startDay,
    timeMs: startFloatingMs - startDay * MS_PER_DAY,
    startDayOfMonth: civil.day,
    startMonth: civil.month,
    startWeekday,
    weekStart: startDay - ((startWeekday - isoWeekday(rule.wkst) + 7) % 7),
    monthIndex: civil.year * 12 + civil.month - 1,
    year: civil.year,
  };
}

/** The first day of period `p` (periods counted in the rule's unit from the start's). */
function periodStart(rule: Rule, base: Base, p: number): number {
  switch (rule.freq) {
    case 'DAILY':
      return base.startDay + p;
    case 'WEEKLY':
      return base.weekStart + 7 * p;
    case 'MONTHLY': {
      const index = base.monthIndex + p;
      return daysFromCivil(Math.floor(index / 12), (index % 12) + 1, 1);
    }
    case 'YEARLY':
      return daysFromCivil(base.year + p, 1, 1);
  }
}

/** The period (in the rule's unit, not yet aligned to INTERVAL) that contains `day`. */
function periodOf(rule: Rule, base: Base, day: number): number {
  switch (rule.freq) {
    case 'DAILY':
      return day - base.startDay;
    case 'WEEKLY':
      return Math.floor((day - base.weekStart) / 7);
    case 'MONTHLY': {
      const civil = civilFromDays(day);
      return civil.year * 12 + civil.month - 1 - base.monthIndex;
    }
    case 'YEARLY':
      return civilFromDays(day).year - base.year;
  }
}

/** The days (sorted, distinct) the rule produces in period `p`. */
function daysInPeriod(rule: Rule, base: Base, p: number): number[] {
  let days: number[];
  switch (rule.freq) {
    case 'DAILY': {
      const day = base.startDay + p;
      return matchesDailyFilters(rule, day) ? [day] : [];
    }
    case 'WEEKLY': {
      const weekdays = rule.byDay.length
        ? rule.byDay.map((entry) => isoWeekday(entry.weekday))
        : [base.startWeekday];
      const weekStart = base.weekStart + 7 * p;
      days = [];
      for (let day = weekStart; day < weekStart + 7; day += 1) {
        if (!weekdays.includes(weekdayOfDay(day))) continue;
        if (rule.byMonth.length && !rule.byMonth.includes(civilFromDays(day).month)) continue;
        days.push(day);
      }
      return days;
    }
    case 'MONTHLY': {
      const index = base.monthIndex + p;
      const month = (index % 12) + 1;
      if (rule.byMonth.length && !rule.byMonth.includes(month)) return [];
      days = daysOfMonth(rule, Math.floor(index / 12), month, base.startDayOfMonth);
      break;
    }
    case 'YEARLY': {
      const year = base.year + p;
      if (rule.byDay.length && !rule.byMonth.length && !rule.byMonthDay.length) {
        days = daysOfYearByWeekday(rule, year);
      } else {
        const months = rule.byMonth.length
          ? rule.byMonth
          : rule.byMonthDay.length
            ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
            : [base.startMonth];
        days = months.flatMap((month) => daysOfMonth(rule, year, month, base.startDayOfMonth));
      }
      break;
    }
  }
  return days.length > 1 ? [...new Set(days)].sort((a, b) => a - b) : days;
}

/**
 * For a daily rule limited to some months or month days, the first day at or after `from` in one
 * of them (weekdays and INTERVAL are checked by the caller): a daily rule on 29 February visits
 * one day a year instead of all of them. Infinity when the calendar has no such day at all (a
 * month with a 29th comes within 8 years).
 */
function nextDailyCandidate(rule: Rule, from: number): number {
  let { year, month, day } = civilFromDays(from);
  for (let step = 0; step <= 12 * 8; step += 1) {
    if (!rule.byMonth.length || rule.byMonth.includes(month)) {
      if (!rule.byMonthDay.length) return daysFromCivil(year, month, day);
      const length = daysInMonth(year, month);
      let best = Infinity;
      for (const entry of rule.byMonthDay) {
        const candidate = monthDayOf(entry, length);
        if (candidate >= day && candidate >= 1 && candidate <= length && candidate < best)
          best = candidate;
      }
      if (best !== Infinity) return daysFromCivil(year, month, best);
    }
    day = 1;
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return Infinity;
}

/**
 * The days after the start's on which the rule occurs, in order, from aligned period `fromPeriod`
 * on (ignoring COUNT and UNTIL).
 */
function* occurrenceDays(rule: Rule, base: Base, fromPeriod: number): Generator<number> {
  const stepsPerCycle = CYCLE[rule.freq] / gcd(rule.interval, CYCLE[rule.freq]);
  const dayFilters =
    rule.freq === 'DAILY' && (rule.byMonth.length > 0 || rule.byMonthDay.length > 0);
  let emptySteps = 0;
  for (let p = fromPeriod; ; p += rule.interval) {
    if (dayFilters) {
      const candidate = nextDailyCandidate(rule, base.startDay + p);
      if (candidate === Infinity) return;
      const next = Math.ceil((candidate - base.startDay) / rule.interval) * rule.interval;
      emptySteps += (next - p) / rule.interval;
      p = next;
    }
    if (emptySteps >= stepsPerCycle || periodStart(rule, base, p) > LAST_DAY) return;
    const days = daysInPeriod(rule, base, p);
    // Only a period that produces nothing counts towards the cycle; the first may produce days
    // that are not after the start.
    emptySteps = days.length === 0 ? emptySteps + 1 : 0;
    for (const day of days) {
      if (day > LAST_DAY) return;
      if (day > base.startDay) yield day;
    }
  }
}

export interface ExpandOptions {
  /** The series' first occurrence (RFC 5545 DTSTART); it is always an occurrence itself. */
  dtstart: DateTime;
  timezone: string;
  /** Only occurrences strictly after this instant (without COUNT, found without walking to it). */
  after?: DateTime;
  /** Apply the rule's COUNT and UNTIL (default true). */
  applyLimits?: boolean;
}

/** The end of the series as an instant, with a date-only UNTIL inclusive to that day's end. */
export function untilInstant(rule: Rule, timezone: string): DateTime | undefined {
  if (!rule.until) return undefined;
  if (rule.until.kind === 'instant')
    return DateTime.fromMillis(rule.until.epochMs, { zone: timezone });
  const { year, month, day } = rule.until;
  return DateTime.fromObject({ year, month, day }, { zone: timezone }).endOf('day');
}

/**
 * The rule with a date-only UNTIL turned into the UTC date-time RFC 5545 requires beside a zoned
 * DTSTART: the last second of that day in the series zone. A calendar client reading the stored
 * rule then keeps that day's occurrence. (Occurrences carry whole seconds in practice; one at
 * 23:59:59.5 would fall outside.)
 */
export function withInstantUntil(rule: Rule, timezone: string): Rule {
  if (rule.until?.kind !== 'date') return rule;
  const end = untilInstant(rule, timezone)!.startOf('second').toMillis();
  // 9999-12-31 west of UTC ends in 10000, which an RRULE cannot write: nothing is later anyway.
  const latest = Math.floor(LATEST_INSTANT_MS / 1000) * 1000;
  return { ...rule, until: { kind: 'instant', epochMs: Math.min(end, latest) } };
}

/**
 * Every occurrence of the rule as an instant in `timezone`, in order. Occurrences keep DTSTART's
 * wall-clock time; see placeInZone for DST gaps and repeats.
 */
export function* occurrences(rule: Rule, options: ExpandOptions): Generator<DateTime> {
  const applyLimits = options.applyLimits ?? true;
  const until = applyLimits ? untilInstant(rule, options.timezone) : undefined;
  const count = applyLimits ? rule.count : undefined;
  const start = options.dtstart.setZone(options.timezone);
  const base = baseOf(rule, toFloating(start).toMillis());
  const after = options.after?.setZone(options.timezone);
  // Occurrences whose wall clock is more than two days before `after` cannot be after it in any
  // zone, so they are never placed: without COUNT they are not even visited.
  const skipBeforeDay = after
    ? Math.floor(toFloating(after).toMillis() / MS_PER_DAY) - 2
    : undefined;
  let fromPeriod = 0;
  if (skipBeforeDay !== undefined && count === undefined) {
    // One period of margin: SKIP=FORWARD moves a period's day into the next one.
    const reach = periodOf(rule, base, skipBeforeDay) - 1;
    fromPeriod = Math.max(0, Math.ceil(reach / rule.interval)) * rule.interval;
  }

  let emitted = 0;
  const accept = (instant: DateTime): 'yield' | 'skip' | 'stop' => {
    if (until && instant > until) return 'stop';
    if (count !== undefined && emitted >= count) return 'stop';
    emitted += 1;
    return after && instant <= after ? 'skip' : 'yield';
  };

  const first = accept(start);
  if (first === 'stop') return;
  if (first === 'yield') yield start;
  for (const day of occurrenceDays(rule, base, fromPeriod)) {
    if (skipBeforeDay !== undefined && day < skipBeforeDay) {
      // Before `after`, so never yielded; an UNTIL it passes is caught at the next placed one.
      if (count !== undefined && emitted >= count) return;
      emitted += 1;
      continue;
    }
    const local = DateTime.fromMillis(day * MS_PER_DAY + base.timeMs, { zone: 'utc' });
    const instant = placeInZone(local, options.timezone);
    if (instant.toMillis() > LATEST_INSTANT_MS) return;
    const verdict = accept(instant);
    if (verdict === 'stop') return;
    if (verdict === 'yield') yield instant;
  }
}

/** The first occurrence after the series start, ignoring COUNT and UNTIL; undefined if none. */
export function secondOccurrence(
  rule: Rule,
  dtstart: DateTime,
  timezone: string,
): DateTime | undefined {
  const list = occurrences(rule, { dtstart, timezone, applyLimits: false });
  list.next();
  return list.next().value ?? undefined;
}
