import { civilFromDays, daysFromCivil, daysInMonth } from './civil-days.js';
import { alignedClockDays, intervalReachesClock } from './aligned-clock.js';
import { nextDailyCandidate } from './daily-candidate.js';
import { matchesDayLimits, monthDayOf } from './period-days.js';
import { SECONDS_PER_DAY, type PeriodSet } from './period-set.js';
import { SUB_DAILY_SECONDS, type Rule, type SubDailyFrequency } from './rule.js';

/**
 * HOURLY, MINUTELY and SECONDLY rules: periods of an hour, a minute or a second, in wall-clock time
 * like every other frequency (as python-dateutil and libical count them; see the README). The day
 * parts and the clock parts coarser than the period limit it; the finer ones expand it.
 *
 * A walk from period to period would take 86,400 steps a day, so the walk jumps: past a day the
 * day parts refuse to the next day they accept, past an hour (minute, second) BYHOUR (BYMINUTE,
 * BYSECOND) refuses to the next one it accepts, then up to the next period INTERVAL allows. A walk
 * that still finds no period in MAX_SUB_DAILY_STEPS jumps gives up (the series ends), which bounds
 * the cost of every rule; the rules that can never occur are refused before walking at all.
 */
export const MAX_SUB_DAILY_STEPS = 10_000;
const YEARS_IN_CYCLE = 400;
const DAYS_IN_CYCLE = 146_097;

export interface SubDailyStart {
  /** DTSTART as floating seconds. */
  startSec: number;
  hour: number;
  minute: number;
  second: number;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Candidate days of `year` for the day parts (BYDAY is checked by the caller), in order. */
function candidateDaysOfYear(rule: Rule, year: number, from: number): number[] {
  const first = daysFromCivil(year, 1, 1);
  if (rule.byYearDay.length) {
    const length = daysFromCivil(year + 1, 1, 1) - first;
    return rule.byYearDay
      .map((d) => first + (d > 0 ? d : length + d + 1) - 1)
      .filter((day) => day >= from && day >= first && day < first + length)
      .sort((a, b) => a - b);
  }
  const days: number[] = [];
  for (const month of rule.byMonth.length ? rule.byMonth : range(12).map((m) => m + 1)) {
    const monthStart = daysFromCivil(year, month, 1);
    const length = daysInMonth(year, month);
    if (monthStart + length <= from) continue;
    if (!rule.byMonthDay.length) {
      for (let day = Math.max(from, monthStart); day < monthStart + length; day += 1)
        days.push(day);
      // BYDAY alone is met within a week.
      if (days.length >= 7) return days;
      continue;
    }
    const inMonth = rule.byMonthDay
      .map((d) => monthDayOf(d, length))
      .filter((d) => d >= 1 && d <= length)
      .map((d) => monthStart + d - 1)
      .filter((day) => day >= from)
      .sort((a, b) => a - b);
    days.push(...inMonth);
  }
  return days;
}

/** The first day at or after `from` that the day parts accept; undefined if no day ever will. */
export function nextMatchingDay(rule: Rule, from: number): number | undefined {
  if (!rule.byYearDay.length) {
    // Month and month-day parts jump from candidate to candidate without allocating; the
    // calendar repeats every 400 years, so a day not found in one cycle never comes.
    const limit = from + DAYS_IN_CYCLE;
    for (let day = from; day <= limit;) {
      const candidate = nextDailyCandidate(rule, day);
      if (candidate > limit) return undefined;
      if (matchesDayLimits(rule, candidate)) return candidate;
      day = candidate + 1;
    }
    return undefined;
  }
  const { year: startYear } = civilFromDays(from);
  for (let year = startYear; year <= startYear + YEARS_IN_CYCLE && year <= 9999; year += 1) {
    for (const day of candidateDaysOfYear(rule, year, from)) {
      if (matchesDayLimits(rule, day)) return day;
    }
  }
  return undefined;
}

/** The sub-daily periods (as their date-time sets) from aligned period `fromPeriod` on. */
export function* subDailyPeriods(
  rule: Rule,
  start: SubDailyStart,
  fromPeriod: number,
  lastDay: number,
  /** The cap on jumps between two periods that yield (a parameter so tests can prove it). */
  maxSteps = MAX_SUB_DAILY_STEPS,
): Generator<PeriodSet> {
  const unit = SUB_DAILY_SECONDS[rule.freq as SubDailyFrequency];
  const interval = rule.interval;
  const startUnit = Math.floor(start.startSec / unit);
  if (!intervalReachesClock(rule, start)) return;
  const hasAlignedClock = alignedClockDays(rule, start);
  const minutes = rule.freq === 'HOURLY' && !rule.byMinute.length ? [start.minute] : rule.byMinute;
  const seconds =
    rule.freq !== 'SECONDLY' && !rule.bySecond.length ? [start.second] : rule.bySecond;
  const periodMinutes = rule.freq === 'HOURLY' ? minutes : undefined;
  const periodSeconds = rule.freq === 'SECONDLY' ? undefined : seconds;
  // Every period holds as many date-times, so BYSETPOS picks from each or from none.
  const size = (periodMinutes?.length ?? 1) * (periodSeconds?.length ?? 1);
  if (rule.bySetPos.length && !rule.bySetPos.some((n) => Math.abs(n) <= size)) return;

  let p = fromPeriod;
  // The first aligned period starting at or after floating second `target`.
  const jumpTo = (target: number) => {
    const units = Math.ceil(target / unit) - startUnit;
    p = Math.max(p + interval, Math.ceil(units / interval) * interval);
  };
  for (let steps = 0; steps < maxSteps; steps += 1) {
    const periodStart = (startUnit + p) * unit;
    const day = Math.floor(periodStart / SECONDS_PER_DAY);
    if (day > lastDay) return;
    if (!matchesDayLimits(rule, day) || !hasAlignedClock(day)) {
      const next = nextMatchingDay(rule, day + 1);
      if (next === undefined) return;
      jumpTo(next * SECONDS_PER_DAY);
      continue;
    }
    const ofDay = periodStart - day * SECONDS_PER_DAY;
    const hour = Math.floor(ofDay / 3600);
    const minute = Math.floor((ofDay % 3600) / 60);
    const second = ofDay % 60;
    const dayStart = day * SECONDS_PER_DAY;
    if (rule.byHour.length && !rule.byHour.includes(hour)) {
      const next = rule.byHour.find((h) => h > hour);
      if (next !== undefined) {
        jumpTo(dayStart + next * 3600);
        continue;
      }
      const nextDay = nextMatchingDay(rule, day + 1);
      if (nextDay === undefined) return;
      jumpTo(nextDay * SECONDS_PER_DAY);
      continue;
    }
    const hourStart = dayStart + hour * 3600;
    if (rule.freq !== 'HOURLY' && rule.byMinute.length && !rule.byMinute.includes(minute)) {
      const next = rule.byMinute.find((m) => m > minute);
      jumpTo(next === undefined ? hourStart + 3600 : hourStart + next * 60);
      continue;
    }
    if (rule.freq === 'SECONDLY' && rule.bySecond.length && !rule.bySecond.includes(second)) {
      const next = rule.bySecond.find((s) => s > second);
      const minuteStart = hourStart + minute * 60;
      jumpTo(next === undefined ? minuteStart + 60 : minuteStart + next);
      continue;
    }
    steps = 0;
    yield {
      days: [day],
      hours: [hour],
      minutes: periodMinutes ?? [minute],
      seconds: periodSeconds ?? [second],
    };
    p += interval;
  }
}
