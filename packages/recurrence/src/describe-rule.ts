import type { DateTime } from 'luxon';
import {
  describeByDay,
  describeClockParts,
  describeMonthDays,
  describeTimes,
  describeWeekNumbers,
  describeYearDays,
  joinList,
  MONTH_NAMES,
  ordinalSuffix,
  position,
  WEEKDAY_NAMES,
  weekdayNoun,
} from './describe-parts.js';
import { untilInstant } from './expand.js';
import { isSubDaily, type Rule } from './rule.js';

const UNIT_NAMES = {
  SECONDLY: 'second',
  MINUTELY: 'minute',
  HOURLY: 'hour',
  DAILY: 'day',
  WEEKLY: 'week',
  MONTHLY: 'month',
  YEARLY: 'year',
} as const;

/**
 * "the last weekday of every month": BYSETPOS over plain weekdays, nothing else picking days, and
 * at most one time a day (with more, the positions count times, not days).
 */
function setPosNoun(rule: Rule): string | undefined {
  const onlyWeekdays =
    rule.bySetPos.length > 0 &&
    rule.byDay.length > 0 &&
    !rule.byMonthDay.length &&
    !rule.byYearDay.length &&
    !rule.byWeekNo.length &&
    rule.byHour.length <= 1 &&
    rule.byMinute.length <= 1 &&
    rule.bySecond.length <= 1 &&
    !isSubDaily(rule.freq) &&
    rule.freq !== 'DAILY';
  return onlyWeekdays ? weekdayNoun(rule.byDay) : undefined;
}

function describeDays(rule: Rule, dtstart: DateTime | undefined, byDayShown: boolean): string[] {
  const parts: string[] = [];
  const months = rule.byMonth.map((m) => MONTH_NAMES[m - 1]!);
  const noDayParts =
    !rule.byDay.length &&
    !rule.byMonthDay.length &&
    !rule.byYearDay.length &&
    !rule.byWeekNo.length;
  if (rule.freq === 'YEARLY' && months.length && noDayParts && dtstart) {
    parts.push(`on ${joinList(months.map((m) => `${m} ${dtstart.day}`))}`);
    return parts;
  }
  if (months.length) parts.push(`in ${joinList(months)}`);
  if (rule.byWeekNo.length) parts.push(describeWeekNumbers(rule.byWeekNo));
  if (rule.byYearDay.length) parts.push(`on ${describeYearDays(rule.byYearDay)} of the year`);
  if (rule.byMonthDay.length) parts.push(`on ${describeMonthDays(rule.byMonthDay)}`);
  if (rule.byDay.length && !byDayShown) {
    const limits = rule.byMonthDay.length || rule.byYearDay.length;
    parts.push(`${limits ? 'if it is' : 'on'} ${describeByDay(rule.byDay)}`);
  }
  if (noDayParts && dtstart) {
    if (rule.freq === 'WEEKLY') parts.push(`on ${WEEKDAY_NAMES[dtstart.weekday - 1]}`);
    if (rule.freq === 'MONTHLY') parts.push(`on the ${ordinalSuffix(dtstart.day)}`);
    if (rule.freq === 'YEARLY' && !months.length)
      parts.push(`on ${MONTH_NAMES[dtstart.month - 1]} ${dtstart.day}`);
  }
  return parts;
}

function describeClock(rule: Rule, dtstart: DateTime | undefined): string[] {
  if (!rule.byHour.length && !rule.byMinute.length && !rule.bySecond.length) return [];
  if (!isSubDaily(rule.freq) && (dtstart || (rule.byHour.length && rule.byMinute.length))) {
    const times = describeTimes(
      rule.byHour.length ? rule.byHour : [dtstart!.hour],
      rule.byMinute.length ? rule.byMinute : [dtstart?.minute ?? 0],
      rule.bySecond.length ? rule.bySecond : [dtstart?.second ?? 0],
    );
    if (times) return [`at ${times}`];
  }
  return describeClockParts(rule.byHour, rule.byMinute, rule.bySecond);
}

function describeSkip(rule: Rule, dtstart: DateTime | undefined): string[] {
  const monthEndDay =
    (rule.freq === 'MONTHLY' || rule.freq === 'YEARLY') &&
    (rule.byMonthDay.some((d) => d > 28) ||
      (!rule.byMonthDay.length &&
        !rule.byDay.length &&
        !rule.byYearDay.length &&
        !rule.byWeekNo.length &&
        (dtstart?.day ?? 0) > 28));
  if (!monthEndDay) return [];
  if (rule.skip === 'BACKWARD') return ['(the last day in shorter months)'];
  if (rule.skip === 'FORWARD') return ['(the 1st of the next month in shorter months)'];
  return [
    rule.freq === 'YEARLY' && !rule.byMonthDay.length
      ? '(skipping years without that day)'
      : '(skipping months without that day)',
  ];
}

/**
 * An English description of a rule, e.g. "every 2 weeks on Monday and Wednesday", "the last
 * weekday of every month", "every day at 8:00 and 20:00". Given the series start, rules whose day
 * or time comes from it ("monthly") name it too.
 */
export function describeRule(rule: Rule, dtstart?: DateTime): string {
  const unit = UNIT_NAMES[rule.freq];
  const every = rule.interval === 1 ? `every ${unit}` : `every ${rule.interval} ${unit}s`;
  const noun = setPosNoun(rule);
  // First ones first, then those counted from the end: "the 1st and last".
  const positions = [...rule.bySetPos]
    .sort((a, b) => (a > 0 ? a : 1000 + a) - (b > 0 ? b : 1000 + b))
    .map(position);
  const parts = [
    noun ? `the ${joinList(positions)} ${noun} of ${every}` : every,
    ...describeDays(rule, dtstart, noun !== undefined),
    ...describeClock(rule, dtstart),
  ];
  if (rule.bySetPos.length && !noun) {
    parts.push(`(only the ${joinList(positions)} of each ${unit}'s times)`);
  }
  parts.push(...describeSkip(rule, dtstart));
  if (rule.count !== undefined)
    parts.push(rule.count === 1 ? 'once' : `for ${rule.count} occurrences`);
  if (rule.until) {
    const until = untilInstant(rule, 'utc')!;
    parts.push(
      `until ${rule.until.kind === 'date' ? until.toISODate() : until.toISO({ suppressMilliseconds: true })}`,
    );
  }
  return parts.join(' ');
}
