import type { Rule } from '@todo/recurrence';
import {
  ORDINALS,
  SET_POS_DAYS,
  WEEKDAYS,
  type DayPattern,
  type RuleBuilderState,
  type SetPosDays,
} from './rule-builder';

/**
 * Which day of the month or year a monthly or yearly rule falls on, both ways: the BY parts a
 * pattern writes (`pinDays`), and the pattern a rule's BY parts are (`readDayPattern`).
 */

/** Patterns that name a day of the month, which a month may lack (SKIP decides). */
export const usesMonthDay = (pattern: DayPattern | undefined): boolean =>
  pattern === 'same-day' || pattern === 'day';

export function patternOf(state: RuleBuilderState): DayPattern | undefined {
  return state.freq === 'MONTHLY'
    ? state.monthly
    : state.freq === 'YEARLY'
      ? state.yearly
      : undefined;
}

/** Writes the BY parts of the builder's day choice into `rule`. */
export function pinDays(rule: Rule, state: RuleBuilderState): void {
  if (state.freq === 'WEEKLY') {
    // In the week's order, so the same days always give the same rule.
    rule.byDay = WEEKDAYS.filter((day) => state.weekdays.includes(day)).map((weekday) => ({
      weekday,
    }));
  }
  const pattern = patternOf(state);
  if (pattern === undefined) return;
  const yearly = state.freq === 'YEARLY';
  if (yearly && pattern !== 'same-day' && pattern !== 'week-number' && pattern !== 'year-day')
    rule.byMonth = [state.month];
  if (pattern === 'day') rule.byMonthDay = [state.monthDay];
  if (pattern === 'weekday') rule.byDay = [{ weekday: state.weekday, ordinal: state.ordinal }];
  if (pattern === 'setpos') {
    rule.byDay = SET_POS_DAYS[state.setPosDays].map((weekday) => ({ weekday }));
    rule.bySetPos = [state.ordinal];
  }
  if (pattern === 'week-number' && yearly) {
    rule.byWeekNo = [state.weekNo];
    rule.byDay = [{ weekday: state.weekday }];
  }
  if (pattern === 'year-day' && yearly) rule.byYearDay = [state.yearDay];
  // Only a day of the month can be missing from a month; the other patterns always exist.
  if (usesMonthDay(pattern) && state.keepMonthEnd) rule.skip = 'BACKWARD';
}

const setPosDaysOf = (rule: Rule): SetPosDays | undefined => {
  const written = rule.byDay.map((d) => (d.ordinal === undefined ? d.weekday : '')).sort();
  return (Object.keys(SET_POS_DAYS) as SetPosDays[]).find(
    (key) => [...SET_POS_DAYS[key]].sort().join() === written.join(),
  );
};

/**
 * The pattern a monthly or yearly rule's day parts are, set into `state`; undefined when the
 * builder has no input for them. The caller checks BYMONTH and the round trip.
 */
export function readDayPattern(rule: Rule, state: RuleBuilderState): DayPattern | undefined {
  const days = rule.byDay;
  const one = <T>(list: readonly T[]): T | undefined => (list.length === 1 ? list[0] : undefined);
  const monthDay = one(rule.byMonthDay);
  const ordinalDay = days.length === 1 && days[0]!.ordinal !== undefined ? days[0]! : undefined;
  const setPos = one(rule.bySetPos);
  if (rule.byWeekNo.length || rule.byYearDay.length) {
    const weekNo = one(rule.byWeekNo);
    const yearDay = one(rule.byYearDay);
    if (weekNo !== undefined && days.length === 1 && !days[0]!.ordinal && !rule.byYearDay.length) {
      state.weekNo = weekNo;
      state.weekday = days[0]!.weekday;
      return 'week-number';
    }
    if (yearDay !== undefined && !days.length && !rule.byWeekNo.length) {
      state.yearDay = yearDay;
      return 'year-day';
    }
    return undefined;
  }
  if (rule.byMonthDay.length > 1 || rule.bySetPos.length > 1) return undefined;
  if (setPos !== undefined) {
    const kind = setPosDaysOf(rule);
    if (!kind || monthDay !== undefined || !ORDINALS.includes(setPos as -1)) return undefined;
    state.setPosDays = kind;
    state.ordinal = setPos;
    return 'setpos';
  }
  if (days.length === 0 && monthDay === undefined) return 'same-day';
  if (days.length === 0 && monthDay !== undefined && (monthDay > 0 || monthDay === -1)) {
    state.monthDay = monthDay;
    return 'day';
  }
  if (monthDay === undefined && ordinalDay && ORDINALS.includes(ordinalDay.ordinal as -1)) {
    state.weekday = ordinalDay.weekday;
    state.ordinal = ordinalDay.ordinal!;
    return 'weekday';
  }
  return undefined;
}
