import type { DateTime } from 'luxon';
import { untilInstant } from './expand.js';
import { isoWeekday, type ByDay, type Rule } from './rule.js';

const WEEKDAY_NAMES = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
];
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const UNIT_NAMES = { DAILY: 'day', WEEKLY: 'week', MONTHLY: 'month', YEARLY: 'year' } as const;

function ordinalSuffix(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  return `${n}${{ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th'}`;
}

function joinList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function position(n: number): string {
  if (n === -1) return 'last';
  if (n < 0) return `${ordinalSuffix(-n)} to last`;
  return ordinalSuffix(n);
}

function describeByDay(byDay: ByDay[]): string {
  const sorted = [...byDay].sort((a, b) => isoWeekday(a.weekday) - isoWeekday(b.weekday));
  return joinList(
    sorted.map((d) => {
      const name = WEEKDAY_NAMES[isoWeekday(d.weekday) - 1]!;
      return d.ordinal === undefined ? name : `the ${position(d.ordinal)} ${name}`;
    }),
  );
}

function describeMonthDays(days: number[]): string {
  return joinList(
    days.map((d) =>
      d === -1 ? 'the last day' : d < 0 ? `the ${position(d)} day` : `the ${ordinalSuffix(d)}`,
    ),
  );
}

/**
 * An English description of a rule, e.g. "every 2 weeks on Monday and Wednesday". Given the
 * series start, rules whose day comes from it ("monthly") name that day too.
 */
export function describeRule(rule: Rule, dtstart?: DateTime): string {
  const unit = UNIT_NAMES[rule.freq];
  const parts = [rule.interval === 1 ? `every ${unit}` : `every ${rule.interval} ${unit}s`];
  const months = rule.byMonth.map((m) => MONTH_NAMES[m - 1]!);

  if (
    rule.freq === 'YEARLY' &&
    months.length &&
    !rule.byDay.length &&
    !rule.byMonthDay.length &&
    dtstart
  ) {
    parts.push(`on ${joinList(months.map((m) => `${m} ${dtstart.day}`))}`);
  } else {
    if (months.length) parts.push(`in ${joinList(months)}`);
    if (rule.byMonthDay.length) parts.push(`on ${describeMonthDays(rule.byMonthDay)}`);
    if (rule.byDay.length)
      parts.push(`${rule.byMonthDay.length ? 'if it is' : 'on'} ${describeByDay(rule.byDay)}`);
    if (!rule.byDay.length && !rule.byMonthDay.length && dtstart) {
      if (rule.freq === 'WEEKLY') parts.push(`on ${WEEKDAY_NAMES[dtstart.weekday - 1]}`);
      if (rule.freq === 'MONTHLY') parts.push(`on the ${ordinalSuffix(dtstart.day)}`);
      if (rule.freq === 'YEARLY' && !months.length)
        parts.push(`on ${MONTH_NAMES[dtstart.month - 1]} ${dtstart.day}`);
    }
  }

  const monthEndDay =
    (rule.freq === 'MONTHLY' || rule.freq === 'YEARLY') &&
    (rule.byMonthDay.some((d) => d > 28) ||
      (!rule.byMonthDay.length && !rule.byDay.length && (dtstart?.day ?? 0) > 28));
  if (monthEndDay && rule.skip === 'BACKWARD') parts.push('(the last day in shorter months)');
  if (monthEndDay && rule.skip === 'FORWARD')
    parts.push('(the 1st of the next month in shorter months)');
  if (monthEndDay && rule.skip === 'OMIT')
    parts.push(
      rule.freq === 'YEARLY' && !rule.byMonthDay.length
        ? '(skipping years without that day)'
        : '(skipping months without that day)',
    );

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
