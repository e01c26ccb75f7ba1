/**
 * The date-times of one period: every combination of its days and times of day, in order, held as
 * the lists themselves rather than their product (a yearly rule with BYHOUR, BYMINUTE and BYSECOND
 * has up to 366 × 86,400 of them). The nth one and BYSETPOS are computed by index, so a period
 * costs what it yields, not its size.
 */
export interface PeriodSet {
  /** Sorted, distinct day numbers. */
  days: number[];
  /** Sorted, distinct clock fields. */
  hours: readonly number[];
  minutes: readonly number[];
  seconds: readonly number[];
}

export const SECONDS_PER_DAY = 86_400;

export const sizeOf = (set: PeriodSet): number =>
  set.days.length * set.hours.length * set.minutes.length * set.seconds.length;

/** The `i`th date-time of the set, as floating seconds (local wall-clock seconds since 1970). */
export function at(set: PeriodSet, i: number): number {
  const perMinute = set.seconds.length;
  const perHour = set.minutes.length * perMinute;
  const perDay = set.hours.length * perHour;
  const inDay = i % perDay;
  const inHour = inDay % perHour;
  return (
    set.days[Math.floor(i / perDay)]! * SECONDS_PER_DAY +
    set.hours[Math.floor(inDay / perHour)]! * 3600 +
    set.minutes[Math.floor(inHour / perMinute)]! * 60 +
    set.seconds[inHour % perMinute]!
  );
}

/** The first index whose date-time is after `floor`, by bisection (the set is in order). */
function firstAfter(set: PeriodSet, floor: number, size: number): number {
  let low = 0;
  let high = size;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (at(set, mid) > floor) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * The set's date-times after `floor`, in order; with BYSETPOS only the positions it names (counted
 * over the whole period, RFC 5545), else every one.
 */
export function* dateTimesAfter(
  set: PeriodSet,
  bySetPos: readonly number[],
  floor: number,
): Generator<number> {
  const size = sizeOf(set);
  if (size === 0) return;
  if (bySetPos.length) {
    const indexes = [
      ...new Set(bySetPos.map((n) => (n > 0 ? n - 1 : size + n)).filter((i) => i >= 0 && i < size)),
    ].sort((a, b) => a - b);
    for (const i of indexes) {
      const value = at(set, i);
      if (value > floor) yield value;
    }
    return;
  }
  for (let i = firstAfter(set, floor, size); i < size; i += 1) yield at(set, i);
}
