import { RuleError } from './rule-error.js';
import { hasByParts, type Rule } from './rule.js';

/**
 * The combinations RFC 5545 (section 3.3.10) forbids, each refused naming the part at fault:
 * they have no defined meaning, so accepting one would mean guessing what the calendar meant.
 */
export function assertRfcCombinations(rule: Rule): void {
  const { freq } = rule;
  if (rule.byMonthDay.length && freq === 'WEEKLY') {
    throw new RuleError('BYMONTHDAY', 'cannot be used with FREQ=WEEKLY');
  }
  if (rule.byYearDay.length && (freq === 'DAILY' || freq === 'WEEKLY' || freq === 'MONTHLY')) {
    throw new RuleError('BYYEARDAY', `cannot be used with FREQ=${freq}`);
  }
  if (rule.byWeekNo.length && freq !== 'YEARLY') {
    throw new RuleError('BYWEEKNO', 'needs FREQ=YEARLY');
  }
  const ordinal = rule.byDay.find((entry) => entry.ordinal !== undefined);
  if (ordinal) {
    const text = `${ordinal.ordinal}${ordinal.weekday}`;
    if (freq !== 'MONTHLY' && freq !== 'YEARLY') {
      throw new RuleError(
        'BYDAY',
        `an ordinal such as '${text}' needs FREQ=MONTHLY or FREQ=YEARLY`,
      );
    }
    if (freq === 'YEARLY' && rule.byWeekNo.length) {
      throw new RuleError('BYDAY', `an ordinal such as '${text}' cannot be used with BYWEEKNO`);
    }
    // Within a month there are at most 5 of each weekday; within a year, 53.
    const withinMonth = freq === 'MONTHLY' || rule.byMonth.length > 0;
    for (const entry of rule.byDay) {
      if (withinMonth && entry.ordinal !== undefined && Math.abs(entry.ordinal) > 5) {
        throw new RuleError(
          'BYDAY',
          `a month has at most 5 of each weekday, so ${entry.ordinal} never matches`,
        );
      }
    }
  }
  if (rule.bySetPos.length && !hasByParts({ ...rule, bySetPos: [] })) {
    throw new RuleError('BYSETPOS', 'needs another BYxxx part to pick from (RFC 5545)');
  }
}
