import { isoWeekday, type ByDay } from './rule.js';

/** The English words describe-rule.ts builds descriptions from. */

export const WEEKDAY_NAMES = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
];
export const MONTH_NAMES: readonly string[] = [
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

export function ordinalSuffix(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  return `${n}${{ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th'}`;
}

export function joinList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** 1 → "1st", -1 → "last", -2 → "2nd to last". */
export function position(n: number): string {
  if (n === -1) return 'last';
  if (n < 0) return `${ordinalSuffix(-n)} to last`;
  return ordinalSuffix(n);
}

export function describeByDay(byDay: ByDay[]): string {
  const sorted = [...byDay].sort((a, b) => isoWeekday(a.weekday) - isoWeekday(b.weekday));
  return joinList(
    sorted.map((d) => {
      const name = WEEKDAY_NAMES[isoWeekday(d.weekday) - 1]!;
      return d.ordinal === undefined ? name : `the ${position(d.ordinal)} ${name}`;
    }),
  );
}

export function describeMonthDays(days: number[]): string {
  return joinList(
    days.map((d) =>
      d === -1 ? 'the last day' : d < 0 ? `the ${position(d)} day` : `the ${ordinalSuffix(d)}`,
    ),
  );
}

/** A set of plain weekdays as one noun: "weekday", "weekend day", "Monday", or undefined. */
export function weekdayNoun(byDay: ByDay[]): string | undefined {
  if (byDay.some((d) => d.ordinal !== undefined)) return undefined;
  const days = byDay.map((d) => isoWeekday(d.weekday)).sort((a, b) => a - b);
  const key = days.join('');
  if (key === '12345') return 'weekday';
  if (key === '67') return 'weekend day';
  if (days.length === 1) return WEEKDAY_NAMES[days[0]! - 1];
  return undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Clock times as "8:00 and 20:00" (seconds only when some are not 0); undefined when too many. */
export function describeTimes(
  hours: readonly number[],
  minutes: readonly number[],
  seconds: readonly number[],
): string | undefined {
  const count = hours.length * minutes.length * seconds.length;
  if (count > 8) return undefined;
  const withSeconds = seconds.some((s) => s !== 0);
  const times: string[] = [];
  for (const h of hours)
    for (const m of minutes)
      for (const s of seconds) times.push(`${h}:${pad(m)}${withSeconds ? `:${pad(s)}` : ''}`);
  return joinList(times);
}

/** The clock fields as lists when there are too many times to name. */
export function describeClockParts(
  hours: number[],
  minutes: number[],
  seconds: number[],
): string[] {
  const parts: string[] = [];
  if (hours.length)
    parts.push(`in hour${hours.length > 1 ? 's' : ''} ${joinList(hours.map(String))}`);
  if (minutes.length)
    parts.push(`at minute${minutes.length > 1 ? 's' : ''} ${joinList(minutes.map(String))}`);
  if (seconds.length)
    parts.push(`at second${seconds.length > 1 ? 's' : ''} ${joinList(seconds.map(String))}`);
  return parts;
}

export function describeYearDays(days: number[]): string {
  return joinList(
    days.map((d) => (d === -1 ? 'the last day' : d < 0 ? `the ${position(d)} day` : `day ${d}`)),
  );
}

export function describeWeekNumbers(weeks: number[]): string {
  const named = weeks.map((w) =>
    w === -1 ? 'the last week' : w < 0 ? `the ${position(w)} week` : String(w),
  );
  return weeks.every((w) => w > 0)
    ? `in week${weeks.length > 1 ? 's' : ''} ${joinList(named)}`
    : `in ${joinList(named.map((n) => (/^\d/.test(n) ? `week ${n}` : n)))}`;
}
