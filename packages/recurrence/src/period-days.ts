import { civilFromDays, daysFromCivil, daysInMonth, weekdayOfDay } from './civil-days.js';
import { isoWeekday, type ByDay, type Rule, type Skip, type Weekday } from './rule.js';

/**
 * The days (integer day numbers, civil-days.ts) a rule's BY parts pick in one period, per
 * RFC 5545's expand/limit table (section 3.3.10): in a year or month BYMONTH, BYWEEKNO, BYYEARDAY,
 * BYMONTHDAY and BYDAY expand, and a part expanded before another limits it.
 */

/** What the series start fixes for rules that leave a part out. */
export interface StartFields {
  startDay: number;
  startDayOfMonth: number;
  startMonth: number;
  startWeekday: number;
}

const isLeap = (year: number) => daysInMonth(year, 2) === 29;
const daysInYear = (year: number) => (isLeap(year) ? 366 : 365);

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

export const monthDayOf = (dayOfMonth: number, length: number): number =>
  dayOfMonth > 0 ? dayOfMonth : length + dayOfMonth + 1;

/** Whether `day` is the nth (or nth-from-last) of its weekday between `first` and `last`. */
function isNth(day: number, first: number, last: number, ordinal: number): boolean {
  return ordinal > 0
    ? Math.floor((day - first) / 7) + 1 === ordinal
    : -(Math.floor((last - day) / 7) + 1) === ordinal;
}

/** BYDAY as a limit: the weekday matches, and an ordinal counts within the month or the year. */
function matchesByDay(day: number, byDay: ByDay[], scope: 'month' | 'year'): boolean {
  const weekday = weekdayOfDay(day);
  return byDay.some((entry) => {
    if (isoWeekday(entry.weekday) !== weekday) return false;
    if (entry.ordinal === undefined) return true;
    const { year, month } = civilFromDays(day);
    const first = scope === 'month' ? daysFromCivil(year, month, 1) : daysFromCivil(year, 1, 1);
    const last =
      scope === 'month' ? first + daysInMonth(year, month) - 1 : daysFromCivil(year, 12, 31);
    return isNth(day, first, last, entry.ordinal);
  });
}

function matchesMonthDay(day: number, byMonthDay: number[]): boolean {
  const civil = civilFromDays(day);
  const length = daysInMonth(civil.year, civil.month);
  return byMonthDay.some((d) => monthDayOf(d, length) === civil.day);
}

function matchesYearDay(day: number, byYearDay: number[]): boolean {
  const { year } = civilFromDays(day);
  const dayOfYear = day - daysFromCivil(year, 1, 1) + 1;
  const length = daysInYear(year);
  return byYearDay.some((d) => (d > 0 ? d : length + d + 1) === dayOfYear);
}

/** The BY parts that limit a daily or shorter rule, on one day. */
export function matchesDayLimits(rule: Rule, day: number): boolean {
  if (rule.byDay.length && !matchesByDay(day, rule.byDay, 'month')) return false;
  if (rule.byMonth.length && !rule.byMonth.includes(civilFromDays(day).month)) return false;
  if (rule.byMonthDay.length && !matchesMonthDay(day, rule.byMonthDay)) return false;
  if (rule.byYearDay.length && !matchesYearDay(day, rule.byYearDay)) return false;
  return true;
}

function daysOfMonth(rule: Rule, start: StartFields, year: number, month: number): number[] {
  const first = daysFromCivil(year, month, 1);
  const length = daysInMonth(year, month);
  if (rule.byMonthDay.length > 0) {
    const days = rule.byMonthDay.flatMap((d) =>
      resolveDay(year, month, monthDayOf(d, length), rule.skip),
    );
    // A day moved by SKIP into a neighbouring month is matched against that month; in a yearly
    // rule without BYMONTH an ordinal counts within the year.
    const scope = rule.freq === 'YEARLY' && !rule.byMonth.length ? 'year' : 'month';
    return rule.byDay.length > 0
      ? days.filter((day) => matchesByDay(day, rule.byDay, scope))
      : days;
  }
  if (rule.byDay.length > 0) {
    const last = first + length - 1;
    return rule.byDay.flatMap((entry) =>
      nthOf(weekdaysIn(first, last, isoWeekday(entry.weekday)), entry.ordinal),
    );
  }
  return resolveDay(year, month, start.startDayOfMonth, rule.skip);
}

/** The first day of week 1 of `year` (RFC 5545: the first week with at least 4 days in it). */
function weekOneStart(year: number, wkst: Weekday): number {
  const jan4 = daysFromCivil(year, 1, 4);
  const offset = (weekdayOfDay(jan4) - isoWeekday(wkst) + 7) % 7;
  return jan4 - offset;
}

/** BYWEEKNO's weeks of `year`, as their days on the rule's weekdays (which may fall in adjacent years). */
function daysOfWeekNumbers(rule: Rule, start: StartFields, year: number): number[] {
  const firstWeek = weekOneStart(year, rule.wkst);
  const weeks = (weekOneStart(year + 1, rule.wkst) - firstWeek) / 7;
  // Without BYDAY a week gives DTSTART's weekday (as FREQ=WEEKLY does), unless another part
  // limits the week's days.
  const weekdays = rule.byDay.length
    ? rule.byDay.map((entry) => isoWeekday(entry.weekday))
    : rule.byMonthDay.length || rule.byYearDay.length
      ? [1, 2, 3, 4, 5, 6, 7]
      : [start.startWeekday];
  const days: number[] = [];
  for (const n of rule.byWeekNo) {
    if (Math.abs(n) > weeks) continue;
    const weekStart = firstWeek + 7 * (n > 0 ? n - 1 : weeks + n);
    for (let day = weekStart; day < weekStart + 7; day += 1)
      if (weekdays.includes(weekdayOfDay(day))) days.push(day);
  }
  return days;
}

function daysOfYearDays(rule: Rule, year: number): number[] {
  const first = daysFromCivil(year, 1, 1);
  const length = daysInYear(year);
  return rule.byYearDay
    .map((d) => (d > 0 ? d : length + d + 1))
    .filter((d) => d >= 1 && d <= length)
    .map((d) => first + d - 1);
}

function daysOfYear(rule: Rule, start: StartFields, year: number): number[] {
  if (rule.byWeekNo.length || rule.byYearDay.length) {
    const expanded = rule.byWeekNo.length
      ? daysOfWeekNumbers(rule, start, year)
      : daysOfYearDays(rule, year);
    return expanded.filter(
      (day) =>
        (!rule.byMonth.length || rule.byMonth.includes(civilFromDays(day).month)) &&
        (!rule.byWeekNo.length || !rule.byYearDay.length || matchesYearDay(day, rule.byYearDay)) &&
        (!rule.byMonthDay.length || matchesMonthDay(day, rule.byMonthDay)) &&
        (!rule.byDay.length ||
          rule.byWeekNo.length > 0 ||
          matchesByDay(day, rule.byDay, rule.byMonth.length ? 'month' : 'year')),
    );
  }
  if (rule.byDay.length && !rule.byMonth.length && !rule.byMonthDay.length) {
    const first = daysFromCivil(year, 1, 1);
    const last = daysFromCivil(year, 12, 31);
    return rule.byDay.flatMap((entry) =>
      nthOf(weekdaysIn(first, last, isoWeekday(entry.weekday)), entry.ordinal),
    );
  }
  const months = rule.byMonth.length
    ? rule.byMonth
    : rule.byMonthDay.length
      ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
      : [start.startMonth];
  return months.flatMap((month) => daysOfMonth(rule, start, year, month));
}

const sortedDistinct = (days: number[]) =>
  days.length > 1 ? [...new Set(days)].sort((a, b) => a - b) : days;

/** The days (sorted, distinct) a weekly rule gives in the week starting `weekStart`. */
export function daysOfWeek(rule: Rule, start: StartFields, weekStart: number): number[] {
  const weekdays = rule.byDay.length
    ? rule.byDay.map((entry) => isoWeekday(entry.weekday))
    : [start.startWeekday];
  const days: number[] = [];
  for (let day = weekStart; day < weekStart + 7; day += 1) {
    if (!weekdays.includes(weekdayOfDay(day))) continue;
    if (rule.byMonth.length && !rule.byMonth.includes(civilFromDays(day).month)) continue;
    days.push(day);
  }
  return days;
}

/** The days (sorted, distinct) a monthly rule gives in a month (`monthIndex` = year * 12 + month - 1). */
export function daysOfMonthIndex(rule: Rule, start: StartFields, monthIndex: number): number[] {
  const month = (monthIndex % 12) + 1;
  if (rule.byMonth.length && !rule.byMonth.includes(month)) return [];
  return sortedDistinct(daysOfMonth(rule, start, Math.floor(monthIndex / 12), month));
}

/** The days (sorted, distinct) a yearly rule gives in `year`. */
export function daysOfYearNumber(rule: Rule, start: StartFields, year: number): number[] {
  return sortedDistinct(daysOfYear(rule, start, year));
}
