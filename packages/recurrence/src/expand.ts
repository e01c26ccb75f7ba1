import { DateTime } from 'luxon';
import {
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  MS_PER_DAY,
  weekdayOfDay,
} from './civil-days.js';
import { LATEST_INSTANT_MS } from './instant-range.js';
import { nextDailyCandidate } from './daily-candidate.js';
import {
  daysOfMonthIndex,
  daysOfWeek,
  daysOfYearNumber,
  matchesDayLimits,
  type StartFields,
} from './period-days.js';
import { dateTimesAfter, SECONDS_PER_DAY, type PeriodSet } from './period-set.js';
import { isoWeekday, isSubDaily, SUB_DAILY_SECONDS, type Rule } from './rule.js';
import { subDailyPeriods, type SubDailyStart } from './sub-daily.js';
import { placeInZone, toFloating } from './zoned-time.js';
import { zoneNamed } from './zone-offsets.js';

/**
 * How expansion stays cheap for every accepted rule and date:
 * - it works on integer day numbers and floating seconds (civil-days.ts, period-set.ts) and places
 *   only the occurrences it yields in the zone (luxon);
 * - given an `after` instant it jumps straight to the first period that can reach it, instead of
 *   walking from the series start (a series may start in 1900), and within a period to the first
 *   date-time after it;
 * - a day-or-longer rule gives up after a whole calendar cycle of empty periods: the Gregorian
 *   calendar repeats every 400 years (146097 days = 20871 weeks = 4800 months), so the rule's
 *   pattern over its aligned periods repeats after CYCLE / gcd(INTERVAL, CYCLE) of them, and a
 *   cycle with no occurrence means there will never be one (29 February on a Monday comes back
 *   after 28 years, inside it); sub-daily rules jump and are capped (sub-daily.ts);
 * - and nothing goes past 9999-12-31 (instant-range.ts).
 * `pnpm bench` measures the worst accepted cases.
 */
const CYCLE = { DAILY: 146_097, WEEKLY: 20_871, MONTHLY: 4_800, YEARLY: 400 } as const;
const LAST_DAY = daysFromCivil(9999, 12, 31);

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Where the series starts, in the units each frequency counts periods in. */
interface Base extends StartFields, SubDailyStart {
  weekStart: number;
  monthIndex: number;
  year: number;
}

function baseOf(rule: Rule, startFloatingMs: number): Base {
  const startSec = Math.floor(startFloatingMs / 1000);
  const startDay = Math.floor(startSec / SECONDS_PER_DAY);
  const ofDay = startSec - startDay * SECONDS_PER_DAY;
  const civil = civilFromDays(startDay);
  const startWeekday = weekdayOfDay(startDay);
  return {
    startSec,
    hour: Math.floor(ofDay / 3600),
    minute: Math.floor((ofDay % 3600) / 60),
    second: ofDay % 60,
    startDay,
    startDayOfMonth: civil.day,
    startMonth: civil.month,
    startWeekday,
    weekStart: startDay - ((startWeekday - isoWeekday(rule.wkst) + 7) % 7),
    monthIndex: civil.year * 12 + civil.month - 1,
    year: civil.year,
  };
}

type DayFrequency = keyof typeof CYCLE;

/** The first day of period `p` (periods counted in the rule's unit from the start's). */
function periodStart(freq: DayFrequency, base: Base, p: number): number {
  switch (freq) {
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

/** The period (in the rule's unit, not yet aligned to INTERVAL) that contains floating second `sec`. */
function periodOf(rule: Rule, base: Base, sec: number): number {
  if (isSubDaily(rule.freq)) {
    const unit = SUB_DAILY_SECONDS[rule.freq];
    return Math.floor(sec / unit) - Math.floor(base.startSec / unit);
  }
  const day = Math.floor(sec / SECONDS_PER_DAY);
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

function daysInPeriod(rule: Rule, base: Base, p: number): number[] {
  switch (rule.freq as DayFrequency) {
    case 'DAILY': {
      const day = base.startDay + p;
      return matchesDayLimits(rule, day) ? [day] : [];
    }
    case 'WEEKLY':
      return daysOfWeek(rule, base, base.weekStart + 7 * p);
    case 'MONTHLY':
      return daysOfMonthIndex(rule, base, base.monthIndex + p);
    case 'YEARLY':
      return daysOfYearNumber(rule, base, base.year + p);
  }
}

/** The periods of a daily-or-longer rule, from aligned period `fromPeriod` on. */
/** At most how many days a period of each frequency holds (a yearly BYWEEKNO week may spill). */
const MAX_DAYS = { DAILY: 1, WEEKLY: 7, MONTHLY: 31, YEARLY: 371 } as const;

/**
 * What a monthly or yearly period's days depend on besides the rule: the month (or year) length
 * and the weekday it starts on (the next one follows from them). Periods with equal shapes are
 * equally empty, so a search for a rule that never occurs evaluates at most 168 month shapes or
 * 14 year shapes, not 4800 months or 400 years.
 */
function periodShape(freq: DayFrequency, firstDay: number): number | undefined {
  if (freq === 'MONTHLY') {
    const { year, month } = civilFromDays(firstDay);
    return month * 1000 + daysInMonth(year, month) * 10 + weekdayOfDay(firstDay);
  }
  if (freq === 'YEARLY') {
    return daysInMonth(civilFromDays(firstDay).year, 2) * 10 + weekdayOfDay(firstDay);
  }
  return undefined;
}

function* dayPeriods(rule: Rule, base: Base, fromPeriod: number): Generator<PeriodSet> {
  const freq = rule.freq as DayFrequency;
  const hours = rule.byHour.length ? rule.byHour : [base.hour];
  const minutes = rule.byMinute.length ? rule.byMinute : [base.minute];
  const seconds = rule.bySecond.length ? rule.bySecond : [base.second];
  const perDay = hours.length * minutes.length * seconds.length;
  // BYSETPOS beyond every period's size picks nothing, ever.
  const largest = MAX_DAYS[freq] * perDay;
  if (rule.bySetPos.length && rule.bySetPos.every((n) => Math.abs(n) > largest)) return;
  const stepsPerCycle = CYCLE[freq] / gcd(rule.interval, CYCLE[freq]);
  const dayFilters = freq === 'DAILY' && (rule.byMonth.length > 0 || rule.byMonthDay.length > 0);
  const emptyShapes = new Set<number>();
  let emptySteps = 0;
  for (let p = fromPeriod; ; p += rule.interval) {
    if (dayFilters) {
      const candidate = nextDailyCandidate(rule, base.startDay + p);
      if (candidate === Infinity) return;
      const next = Math.ceil((candidate - base.startDay) / rule.interval) * rule.interval;
      emptySteps += (next - p) / rule.interval;
      p = next;
    }
    const first = periodStart(freq, base, p);
    if (emptySteps >= stepsPerCycle || first > LAST_DAY) return;
    const shape = periodShape(freq, first);
    if (shape !== undefined && emptyShapes.has(shape)) {
      emptySteps += 1;
      continue;
    }
    const days = daysInPeriod(rule, base, p).filter((day) => day <= LAST_DAY);
    // Only a period that produces nothing counts towards the cycle (BYSETPOS may empty one); the
    // first may produce date-times that are not after the start.
    const size = days.length * perDay;
    const picked =
      size > 0 && (!rule.bySetPos.length || rule.bySetPos.some((n) => Math.abs(n) <= size));
    if (!picked) {
      emptySteps += 1;
      if (shape !== undefined) emptyShapes.add(shape);
      continue;
    }
    emptySteps = 0;
    yield { days, hours, minutes, seconds };
  }
}

/**
 * The rule's date-times after the start, as floating seconds, in order (ignoring COUNT and
 * UNTIL), from aligned period `fromPeriod` on and skipping, without visiting, those up to `floor`.
 */
function* floatingOccurrences(
  rule: Rule,
  base: Base,
  fromPeriod: number,
  floor: number,
): Generator<number> {
  const periods = isSubDaily(rule.freq)
    ? subDailyPeriods(rule, base, fromPeriod, LAST_DAY)
    : dayPeriods(rule, base, fromPeriod);
  // SKIP=FORWARD can move a day into the next period, which may also produce it.
  let last = Math.max(base.startSec, floor);
  for (const set of periods) {
    for (const sec of dateTimesAfter(set, rule.bySetPos, last)) {
      if (sec >= (LAST_DAY + 1) * SECONDS_PER_DAY) return;
      last = sec;
      yield sec;
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
    return DateTime.fromMillis(rule.until.epochMs, { zone: zoneNamed(timezone) });
  const { year, month, day } = rule.until;
  return DateTime.fromObject({ year, month, day }, { zone: zoneNamed(timezone) }).endOf('day');
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
 * The latest floating second whose occurrence cannot be after `after`: a wall-clock time maps to
 * an instant earlier by the zone's offset, which near `after` is one of the offsets a day either
 * side of it (placeInZone's assumption too).
 */
function floorBefore(after: DateTime, timezone: string, msOfSecond: number): number {
  const zone = zoneNamed(timezone);
  const ms = after.toMillis();
  const least = Math.min(
    zone.offset(ms - 2 * MS_PER_DAY),
    zone.offset(ms),
    zone.offset(ms + 2 * MS_PER_DAY),
  );
  return Math.floor((ms + least * 60_000 - msOfSecond) / 1000);
}

/**
 * Every occurrence of the rule as an instant in `timezone`, in order. Occurrences keep DTSTART's
 * wall-clock time unless the rule's clock parts say otherwise; see placeInZone for DST gaps and
 * repeats. Two wall-clock times a DST gap moves onto the same instant give one occurrence.
 */
export function* occurrences(rule: Rule, options: ExpandOptions): Generator<DateTime> {
  const applyLimits = options.applyLimits ?? true;
  const until = applyLimits ? untilInstant(rule, options.timezone) : undefined;
  const count = applyLimits ? rule.count : undefined;
  const zone = zoneNamed(options.timezone);
  const start = options.dtstart.setZone(zone);
  const startFloatingMs = toFloating(start).toMillis();
  const base = baseOf(rule, startFloatingMs);
  const msOfSecond = startFloatingMs - base.startSec * 1000;
  const after = options.after?.setZone(zone);
  let floor = -Infinity;
  let fromPeriod = 0;
  if (after && count === undefined) {
    // Without COUNT nothing before `after` needs visiting. One period of margin: SKIP=FORWARD
    // moves a period's day into the next one.
    floor = floorBefore(after, options.timezone, msOfSecond);
    // Sub-daily periods never spill into the next; a day-or-longer one may reach two days back.
    const margin = isSubDaily(rule.freq) ? 0 : 2 * SECONDS_PER_DAY;
    const reach = periodOf(rule, base, floor - margin) - 1;
    fromPeriod = Math.max(0, Math.ceil(reach / rule.interval)) * rule.interval;
  }

  let emitted = 0;
  let lastMs = -Infinity;
  /** Counts, limits and orders one instant; a repeat of the last one (two times a gap moved together) is dropped. */
  const take = (instant: DateTime): 'yield' | 'skip' | 'stop' => {
    if (instant.toMillis() <= lastMs) return 'skip';
    lastMs = instant.toMillis();
    if (until && instant > until) return 'stop';
    if (count !== undefined && emitted >= count) return 'stop';
    emitted += 1;
    return after && instant <= after ? 'skip' : 'yield';
  };

  const first = take(start);
  if (first === 'stop') return;
  if (first === 'yield') yield start;
  // A time a DST gap moved forward (02:20 -> 02:50 in a 30-minute gap) may come after times the
  // rule gives later (02:40): it waits here, in order, until the walk has passed it.
  const moved: DateTime[] = [];
  for (const sec of floatingOccurrences(rule, base, fromPeriod, floor)) {
    const wallMs = sec * 1000 + msOfSecond;
    const instant = placeInZone(DateTime.fromMillis(wallMs, { zone: 'utc' }), options.timezone);
    while (moved.length > 0 && moved[0]! < instant) {
      const waiting = moved.shift()!;
      const verdict = take(waiting);
      if (verdict === 'stop') return;
      if (verdict === 'yield') yield waiting;
    }
    if (instant.toMillis() > LATEST_INSTANT_MS) return;
    // Offsets of local mean time have seconds, so luxon's minutes are fractional: rounded.
    if (Math.round(instant.toMillis() + instant.offset * 60_000) !== wallMs) {
      moved.push(instant);
      moved.sort((a, b) => a.toMillis() - b.toMillis());
      continue;
    }
    const verdict = take(instant);
    if (verdict === 'stop') return;
    if (verdict === 'yield') yield instant;
  }
  for (const instant of moved) {
    if (instant.toMillis() > LATEST_INSTANT_MS) return;
    const verdict = take(instant);
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
