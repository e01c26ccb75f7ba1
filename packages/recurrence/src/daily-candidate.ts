import { civilFromDays, daysFromCivil, daysInMonth } from './civil-days.js';
import { monthDayOf } from './period-days.js';
import type { Rule } from './rule.js';

/**
 * For a daily rule limited to some months or month days, the first day at or after `from` in one
 * of them (weekdays and INTERVAL are checked by the caller): a daily rule on 29 February visits
 * one day a year instead of all of them. Infinity when the calendar has no such day at all (a
 * month with a 29th comes within 8 years).
 */
export function nextDailyCandidate(rule: Rule, from: number): number {
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
