import { describe, expect, it } from 'vitest';
import {
  defaultBuilderState,
  FREQUENCIES,
  MONTH_DAYS,
  ORDINALS,
  readRule,
  ruleOf,
  WEEKDAYS,
  type DayPattern,
  type EndKind,
  type RuleBuilderState,
} from '../src/repeat/rule-builder';

const zone = 'Europe/Paris';
/** Friday 27 March 2026, 09:00 in Paris. */
const base = defaultBuilderState('2026-03-27T09:00:00+01:00', zone);
const state = (changes: Partial<RuleBuilderState>): RuleBuilderState => ({ ...base, ...changes });
const rruleOf = (changes: Partial<RuleBuilderState>, anchor?: 'due' | 'completion') => {
  const built = ruleOf(state(changes), anchor);
  if (!('rrule' in built)) throw new Error(`no rule: ${built.message}`);
  return built.rrule;
};

describe('defaultBuilderState', () => {
  it('takes the weekday, day, month and week of the month from the due date in the zone', () => {
    expect(base).toMatchObject({
      freq: 'WEEKLY',
      interval: '1',
      weekdays: [],
      weekday: 'FR',
      monthDay: 27,
      month: 3,
      ordinal: 4,
      end: 'never',
    });
  });

  it('calls a fifth weekday the last one', () => {
    expect(defaultBuilderState('2026-01-30T09:00:00Z', 'UTC')).toMatchObject({
      weekday: 'FR',
      ordinal: -1,
    });
  });

  it('reads the date in the series’ zone, not in UTC', () => {
    // 23:30 UTC on Sunday 1 March is Monday 2 March in Tokyo.
    expect(defaultBuilderState('2026-03-01T23:30:00Z', 'Asia/Tokyo')).toMatchObject({
      weekday: 'MO',
      monthDay: 2,
      ordinal: 1,
    });
  });
});

describe('ruleOf', () => {
  it('writes daily and weekly rules, every N', () => {
    expect(rruleOf({ freq: 'DAILY' })).toBe('FREQ=DAILY');
    expect(rruleOf({ freq: 'DAILY', interval: '3' })).toBe('FREQ=DAILY;INTERVAL=3');
    expect(rruleOf({ freq: 'WEEKLY' })).toBe('FREQ=WEEKLY');
    expect(rruleOf({ freq: 'WEEKLY', interval: ' 2 ', weekdays: ['WE', 'MO'] })).toBe(
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE',
    );
  });

  it('writes monthly rules on a day, the last day, or the nth weekday', () => {
    expect(rruleOf({ freq: 'MONTHLY', keepMonthEnd: false })).toBe('FREQ=MONTHLY');
    // The API's `monthly` shorthand: month ends kept.
    expect(rruleOf({ freq: 'MONTHLY' })).toBe('FREQ=MONTHLY;RSCALE=GREGORIAN;SKIP=BACKWARD');
    expect(rruleOf({ freq: 'MONTHLY', monthly: 'day', monthDay: 15, keepMonthEnd: false })).toBe(
      'FREQ=MONTHLY;BYMONTHDAY=15',
    );
    expect(rruleOf({ freq: 'MONTHLY', monthly: 'day', monthDay: 31 })).toBe(
      'FREQ=MONTHLY;BYMONTHDAY=31;RSCALE=GREGORIAN;SKIP=BACKWARD',
    );
    expect(rruleOf({ freq: 'MONTHLY', monthly: 'day', monthDay: -1, keepMonthEnd: false })).toBe(
      'FREQ=MONTHLY;BYMONTHDAY=-1',
    );
    expect(rruleOf({ freq: 'MONTHLY', monthly: 'weekday', ordinal: -1, weekday: 'FR' })).toBe(
      'FREQ=MONTHLY;BYDAY=-1FR',
    );
    expect(rruleOf({ freq: 'MONTHLY', monthly: 'weekday', ordinal: 2, weekday: 'TU' })).toBe(
      'FREQ=MONTHLY;BYDAY=2TU',
    );
  });

  it('writes yearly rules on the due date, a date, or the nth weekday of a month', () => {
    expect(rruleOf({ freq: 'YEARLY', keepMonthEnd: false })).toBe('FREQ=YEARLY');
    expect(rruleOf({ freq: 'YEARLY', yearly: 'day', month: 2, monthDay: 29 })).toBe(
      'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;RSCALE=GREGORIAN;SKIP=BACKWARD',
    );
    expect(
      rruleOf({ freq: 'YEARLY', yearly: 'weekday', month: 11, ordinal: 4, weekday: 'TH' }),
    ).toBe('FREQ=YEARLY;BYMONTH=11;BYDAY=4TH');
  });

  it('ends on a day (date-only UNTIL) or after a number of times', () => {
    expect(rruleOf({ freq: 'DAILY', end: 'until', until: '2026-12-31' })).toBe(
      'FREQ=DAILY;UNTIL=20261231',
    );
    expect(rruleOf({ freq: 'DAILY', end: 'count', count: '5' })).toBe('FREQ=DAILY;COUNT=5');
    // The other end's input is kept but not written.
    expect(rruleOf({ freq: 'DAILY', end: 'never', until: '2026-12-31', count: '5' })).toBe(
      'FREQ=DAILY',
    );
  });

  it('writes only frequency, interval and end for a rule repeated from completion', () => {
    expect(
      rruleOf(
        { freq: 'WEEKLY', interval: '2', weekdays: ['MO', 'WE'], end: 'count', count: '3' },
        'completion',
      ),
    ).toBe('FREQ=WEEKLY;INTERVAL=2;COUNT=3');
    expect(rruleOf({ freq: 'MONTHLY', monthly: 'weekday' }, 'completion')).toBe('FREQ=MONTHLY');
  });

  it.each([
    ['', 'interval'],
    ['0', 'interval'],
    ['1001', 'interval'],
    ['1.5', 'interval'],
    ['two', 'interval'],
  ])('names the interval when it is %j', (interval, field) => {
    expect(ruleOf(state({ interval }))).toMatchObject({ field });
  });

  it('names an unfinished end', () => {
    expect(ruleOf(state({ end: 'until', until: '' }))).toMatchObject({ field: 'until' });
    expect(ruleOf(state({ end: 'until', until: '2026-02-30' }))).toMatchObject({ field: 'until' });
    expect(ruleOf(state({ end: 'count', count: '' }))).toMatchObject({ field: 'count' });
    expect(ruleOf(state({ end: 'count', count: '10001' }))).toMatchObject({ field: 'count' });
  });
});

describe('readRule', () => {
  const read = (rrule: string, inZone = zone) => readRule(rrule, base, inZone);
  const builderState = (rrule: string, inZone = zone) => {
    const result = read(rrule, inZone);
    if (result.kind !== 'builder') throw new Error(`${rrule}: ${JSON.stringify(result)}`);
    return result.state;
  };

  it('reads the rules the builder writes back into the same choices', () => {
    expect(builderState('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE')).toMatchObject({
      freq: 'WEEKLY',
      interval: '2',
      weekdays: ['MO', 'WE'],
    });
    expect(builderState('FREQ=MONTHLY;BYDAY=-1FR')).toMatchObject({
      freq: 'MONTHLY',
      monthly: 'weekday',
      ordinal: -1,
      weekday: 'FR',
    });
    expect(builderState('FREQ=MONTHLY;BYMONTHDAY=31;RSCALE=GREGORIAN;SKIP=BACKWARD')).toMatchObject(
      { monthly: 'day', monthDay: 31, keepMonthEnd: true },
    );
    expect(builderState('FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;COUNT=3')).toMatchObject({
      yearly: 'weekday',
      month: 11,
      ordinal: 4,
      weekday: 'TH',
      end: 'count',
      count: '3',
    });
    expect(builderState('FREQ=DAILY;UNTIL=20261231')).toMatchObject({
      end: 'until',
      until: '2026-12-31',
    });
  });

  it('accepts what the API accepts: any case, any part order, an RRULE: prefix', () => {
    expect(builderState('rrule:byday=we,mo;freq=weekly')).toMatchObject({
      freq: 'WEEKLY',
      weekdays: ['MO', 'WE'],
    });
  });

  it('keeps the choices a rule does not make from the defaults', () => {
    expect(builderState('FREQ=DAILY')).toMatchObject({
      weekday: 'FR',
      monthDay: 27,
      month: 3,
      keepMonthEnd: true,
      count: '10',
    });
  });

  it('reads a month-end series the API stored from its monthly shorthand', () => {
    expect(builderState('FREQ=MONTHLY;RSCALE=GREGORIAN;SKIP=BACKWARD')).toMatchObject({
      freq: 'MONTHLY',
      monthly: 'same-day',
      keepMonthEnd: true,
    });
    expect(builderState('FREQ=MONTHLY')).toMatchObject({
      monthly: 'same-day',
      keepMonthEnd: false,
    });
  });

  it('reads a stored UNTIL (the last second of a day in the series’ zone) as that day', () => {
    // The API stores UNTIL=20261231 of a Paris series as 2026-12-31T23:59:59+01:00.
    expect(builderState('FREQ=DAILY;UNTIL=20261231T225959Z')).toMatchObject({
      end: 'until',
      until: '2026-12-31',
    });
    // In New York that instant is mid-afternoon: not a whole day.
    expect(read('FREQ=DAILY;UNTIL=20261231T225959Z', 'America/New_York')).toMatchObject({
      kind: 'custom',
    });
  });

  it.each([
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;WKST=SU', /WKST/],
    ['FREQ=MONTHLY;RSCALE=GREGORIAN;SKIP=FORWARD', /SKIP=FORWARD/],
    ['FREQ=DAILY;BYMONTH=1', /daily/],
    ['FREQ=DAILY;BYDAY=MO,TU', /daily/],
    ['FREQ=WEEKLY;BYMONTH=6,7', /weekly/],
    ['FREQ=MONTHLY;BYMONTH=1,7', /monthly/],
    ['FREQ=MONTHLY;BYMONTHDAY=1,15', /several days/],
    ['FREQ=MONTHLY;BYMONTHDAY=-2', /several days/],
    ['FREQ=MONTHLY;BYDAY=MO', /several days/],
    ['FREQ=MONTHLY;BYDAY=1MO,3MO', /several days/],
    ['FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR', /several days/],
    ['FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=1', /several months/],
    ['FREQ=YEARLY;BYMONTHDAY=1', /several months/],
    ['FREQ=YEARLY;BYMONTH=3', /month without a day/],
    ['FREQ=MONTHLY;BYDAY=-1FR;RSCALE=GREGORIAN;SKIP=BACKWARD', /SKIP/],
    ['FREQ=WEEKLY;UNTIL=20260401T120000Z', /UNTIL/],
  ])('calls %s a custom rule, saying why', (rrule, reason) => {
    const result = read(rrule);
    expect(result.kind).toBe('custom');
    expect(result.kind === 'custom' && result.reason).toMatch(reason);
  });

  it.each([
    ['FREQ=FORTNIGHTLY', /FREQ/],
    ['FREQ=WEEKLY;BYSETPOS=1', /BYSETPOS/],
    ['FREQ=WEEKLY;BYDAY=2MO', /BYDAY/],
    ['', /empty/],
  ])('calls %j invalid with the parser’s message', (rrule, message) => {
    const result = read(rrule);
    expect(result.kind).toBe('invalid');
    expect(result.kind === 'invalid' && result.message).toMatch(message);
  });

  it('reads back every rule the builder writes, as the same rule', () => {
    const patterns: DayPattern[] = ['same-day', 'day', 'weekday'];
    const ends: Array<Partial<RuleBuilderState>> = [
      { end: 'never' as EndKind },
      { end: 'until', until: '2027-02-28' },
      { end: 'count', count: '7' },
    ];
    const weekdaySets = [[], ['SU'], ['MO', 'WE', 'FR'], [...WEEKDAYS]] as const;
    let checked = 0;
    for (const freq of FREQUENCIES) {
      for (const interval of ['1', '4']) {
        for (const pattern of patterns) {
          for (const keepMonthEnd of [true, false]) {
            for (const end of ends) {
              for (const weekdays of weekdaySets) {
                for (const [monthDay, ordinal] of [
                  [MONTH_DAYS[0], ORDINALS[0]],
                  [31, 5],
                  [-1, -1],
                ] as const) {
                  const written = state({
                    freq,
                    interval,
                    monthly: pattern,
                    yearly: pattern,
                    keepMonthEnd,
                    weekdays: [...weekdays],
                    monthDay,
                    ordinal,
                    weekday: 'SA',
                    month: 2,
                    ...end,
                  });
                  for (const anchor of ['due', 'completion'] as const) {
                    const built = ruleOf(written, anchor);
                    if (!('rrule' in built)) throw new Error(built.message);
                    const back = readRule(built.rrule, base, zone);
                    if (back.kind !== 'builder') throw new Error(`${built.rrule}: ${back.kind}`);
                    expect(ruleOf(back.state, anchor)).toEqual(built);
                    checked += 1;
                  }
                }
              }
            }
          }
        }
      }
    }
    expect(checked).toBe(FREQUENCIES.length * 2 * 3 * 2 * 3 * 4 * 3 * 2);
  });
});
