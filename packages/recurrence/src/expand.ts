import { DateTime } from 'luxon';
import { isoWeekday, type ByDay, type Rule, type Skip } from './rule.js';
import { placeInZone, toFloating, type Floating } from './zoned-time.js';

/**
 * Periods in a row that may produce nothing before a rule is taken to have no more occurrences
 * (e.g. FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30 with SKIP=OMIT). Every satisfiable supported rule
 * produces an occurrence well within this many periods (a leap day takes at most 8 years).
 */
const MAX_EMPTY_PERIODS = 4000;
const LAST_YEAR = 9999;

const utcDate = (year: number, month: number, day: number) => DateTime.utc(year, month, day);

/** A day-of-month the month may not have, resolved per RFC 7529 SKIP. */
function resolveDay(year: number, month: number, day: number, skip: Skip): Floating[] {
  const first = utcDate(year, month, 1);
  const daysInMonth = first.daysInMonth!;
  if (day >= 1 && day <= daysInMonth) return [first.set({ day })];
  if (skip === 'OMIT') return [];
  if (skip === 'BACKWARD')
    return [day > daysInMonth ? first.set({ day: daysInMonth }) : first.minus({ days: 1 })];
  return [day > daysInMonth ? first.plus({ months: 1 }) : first];
}

function nthOf(days: Floating[], ordinal: number | undefined): Floating[] {
  if (ordinal === undefined) return days;
  const picked = ordinal > 0 ? days[ordinal - 1] : days[days.length + ordinal];
  return picked ? [picked] : [];
}

function weekdaysIn(from: Floating, to: Floating, weekday: number): Floating[] {
  const days: Floating[] = [];
  let day = from.plus({ days: (weekday - from.weekday + 7) % 7 });
  while (day <= to) {
    days.push(day);
    day = day.plus({ weeks: 1 });
  }
  return days;
}

function matchesByDayInMonth(day: Floating, byDay: ByDay[]): boolean {
  const daysInMonth = day.daysInMonth!;
  return byDay.some((entry) => {
    if (isoWeekday(entry.weekday) !== day.weekday) return false;
    if (entry.ordinal === undefined) return true;
    const fromStart = Math.ceil(day.day / 7);
    const fromEnd = -(Math.floor((daysInMonth - day.day) / 7) + 1);
    return entry.ordinal === fromStart || entry.ordinal === fromEnd;
  });
}

function daysOfMonth(rule: Rule, year: number, month: number, defaultDay: number): Floating[] {
  const first = utcDate(year, month, 1);
  const daysInMonth = first.daysInMonth!;
  if (rule.byMonthDay.length > 0) {
    const days = rule.byMonthDay.flatMap((d) =>
      resolveDay(year, month, d > 0 ? d : daysInMonth + d + 1, rule.skip),
    );
    return rule.byDay.length > 0
      ? days.filter((day) => matchesByDayInMonth(day, rule.byDay))
      : days;
  }
  if (rule.byDay.length > 0) {
    const last = first.set({ day: daysInMonth });
    return rule.byDay.flatMap((entry) =>
      nthOf(weekdaysIn(first, last, isoWeekday(entry.weekday)), entry.ordinal),
    );
  }
  return resolveDay(year, month, defaultDay, rule.skip);
}

function daysOfYearByWeekday(rule: Rule, year: number): Floating[] {
  const first = utcDate(year, 1, 1);
  const last = utcDate(year, 12, 31);
  return rule.byDay.flatMap((entry) =>
    nthOf(weekdaysIn(first, last, isoWeekday(entry.weekday)), entry.ordinal),
  );
}

function matchesDailyFilters(rule: Rule, day: Floating): boolean {
  if (rule.byMonth.length && !rule.byMonth.includes(day.month)) return false;
  if (rule.byDay.length && !rule.byDay.some((entry) => isoWeekday(entry.weekday) === day.weekday))
    return false;
  if (rule.byMonthDay.length) {
    const daysInMonth = day.daysInMonth!;
    if (!rule.byMonthDay.some((d) => (d > 0 ? d : daysInMonth + d + 1) === day.day)) return false;
  }
  return true;
}

/** The dates (midnight, floating) the rule produces in the period `offset` periods after start's. */
function datesInPeriod(rule: Rule, start: Floating, offset: number): Floating[] {
  switch (rule.freq) {
    case 'DAILY': {
      const day = start.startOf('day').plus({ days: offset });
      return matchesDailyFilters(rule, day) ? [day] : [];
    }
    case 'WEEKLY': {
      const weekStartDay = isoWeekday(rule.wkst);
      const startDay = start.startOf('day');
      const weekStart = startDay
        .minus({ days: (startDay.weekday - weekStartDay + 7) % 7 })
        .plus({ weeks: offset });
      const weekdays = rule.byDay.length
        ? rule.byDay.map((entry) => isoWeekday(entry.weekday))
        : [start.weekday];
      return Array.from({ length: 7 }, (_, i) => weekStart.plus({ days: i })).filter(
        (day) =>
          weekdays.includes(day.weekday) &&
          (!rule.byMonth.length || rule.byMonth.includes(day.month)),
      );
    }
    case 'MONTHLY': {
      const month = start.startOf('month').plus({ months: offset });
      if (rule.byMonth.length && !rule.byMonth.includes(month.month)) return [];
      return daysOfMonth(rule, month.year, month.month, start.day);
    }
    case 'YEARLY': {
      const year = start.year + offset;
      if (rule.byDay.length && !rule.byMonth.length && !rule.byMonthDay.length)
        return daysOfYearByWeekday(rule, year);
      const months = rule.byMonth.length
        ? rule.byMonth
        : rule.byMonthDay.length
          ? Array.from({ length: 12 }, (_, i) => i + 1)
          : [start.month];
      return months.flatMap((month) => daysOfMonth(rule, year, month, start.day));
    }
  }
}

/** Floating occurrence times strictly after `start`, in order, ignoring COUNT and UNTIL. */
function* floatingAfterStart(rule: Rule, start: Floating): Generator<Floating> {
  const time = {
    hour: start.hour,
    minute: start.minute,
    second: start.second,
    millisecond: start.millisecond,
  };
  let emptyPeriods = 0;
  for (let offset = 0; ; offset += rule.interval) {
    const dates = datesInPeriod(rule, start, offset);
    const times = [...new Set(dates.map((d) => d.toMillis()))]
      .sort((a, b) => a - b)
      .map((ms) => DateTime.fromMillis(ms, { zone: 'utc' }).set(time))
      .filter((t) => t > start);
    if (times.length === 0) {
      emptyPeriods += 1;
      if (emptyPeriods > MAX_EMPTY_PERIODS) return;
    } else {
      emptyPeriods = 0;
    }
    for (const t of times) {
      if (t.year > LAST_YEAR) return;
      yield t;
    }
    if (start.year + Math.floor(offset / 366) > LAST_YEAR) return;
  }
}

export interface ExpandOptions {
  /** The series' first occurrence (RFC 5545 DTSTART); it is always an occurrence itself. */
  dtstart: DateTime;
  timezone: string;
  /** Only occurrences strictly after this instant (cheaper than filtering afterwards). */
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
 * Every occurrence of the rule as an instant in `timezone`, in order. Occurrences keep DTSTART's
 * wall-clock time; see placeInZone for DST gaps and repeats.
 */
export function* occurrences(rule: Rule, options: ExpandOptions): Generator<DateTime> {
  const applyLimits = options.applyLimits ?? true;
  const until = applyLimits ? untilInstant(rule, options.timezone) : undefined;
  const count = applyLimits ? rule.count : undefined;
  const start = options.dtstart.setZone(options.timezone);
  const after = options.after?.setZone(options.timezone);
  // Occurrences whose wall clock is more than two days before `after` cannot be after it in any
  // zone, so they are counted but never placed.
  const skipBefore = after ? toFloating(after).minus({ days: 2 }) : undefined;

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
  for (const local of floatingAfterStart(rule, toFloating(start))) {
    if (skipBefore && local < skipBefore) {
      // Before `after`, so never yielded; an UNTIL it passes is caught at the next placed one.
      if (count !== undefined && emitted >= count) return;
      emitted += 1;
      continue;
    }
    const instant = placeInZone(local, options.timezone);
    const verdict = accept(instant);
    if (verdict === 'stop') return;
    if (verdict === 'yield') yield instant;
  }
}
