import { describe, expect, it } from 'vitest';
import {
  defaultBuilderState,
  readRule,
  ruleOf,
  WEEK_NUMBERS,
  YEAR_DAYS,
  type RuleBuilderState,
} from '../src/repeat/rule-builder';
import { formatTimes, parseTimes } from '../src/repeat/times-of-day';

/** The builder parts for issue 16's grammar: times of day, hourly/minutely, BYSETPOS, weeks, year days. */
const zone = 'Europe/Paris';
/** Friday 27 March 2026, 09:00 in Paris: ISO week 13, day 86 of the year. */
const base = defaultBuilderState('2026-03-27T09:00:00+01:00', zone);
const state = (changes: Partial<RuleBuilderState>): RuleBuilderState => ({ ...base, ...changes });
const built = (changes: Partial<RuleBuilderState>) => ruleOf(state(changes));

describe('times of day', () => {
  it.each([
    ['8:00, 20:00', { hours: [8, 20], minutes: [0] }],
    ['20 8', { hours: [8, 20], minutes: [0] }],
    ['7:15 19:15', { hours: [7, 19], minutes: [15] }],
    ['9:00, 9:30, 17:00, 17:30', { hours: [9, 17], minutes: [0, 30] }],
  ])('reads %j', (text, times) => {
    expect(parseTimes(text)).toEqual(times);
  });

  it.each([['8:00, 20:30'], ['25:00'], ['8:60'], ['noon']])('refuses %j, saying why', (text) => {
    expect(parseTimes(text)).toEqual({ error: expect.any(String) });
  });

  it('writes BYHOUR and BYMINUTE, and reads them back as the same text', () => {
    const result = built({ freq: 'DAILY', times: '20:00, 8:00' });
    expect(result).toEqual({ rrule: 'FREQ=DAILY;BYHOUR=8,20;BYMINUTE=0' });
    const back = readRule('FREQ=DAILY;BYHOUR=8,20;BYMINUTE=0', base, zone);
    expect(back).toMatchObject({ kind: 'builder', state: { times: formatTimes([8, 20], [0]) } });
  });

  it('names the times input when they are not one rule', () => {
    expect(built({ freq: 'WEEKLY', times: '8:00, 20:30' })).toEqual({
      field: 'times',
      message: expect.stringContaining('same minutes'),
    });
  });

  it('leaves times out of a rule repeated from completion', () => {
    expect(ruleOf(state({ freq: 'DAILY', times: '8:00' }), 'completion')).toEqual({
      rrule: 'FREQ=DAILY',
    });
  });
});

describe('the new patterns write the rule and read it back', () => {
  it.each<[Partial<RuleBuilderState>, string]>([
    [{ freq: 'HOURLY', interval: '3' }, 'FREQ=HOURLY;INTERVAL=3'],
    [{ freq: 'MINUTELY', interval: '90' }, 'FREQ=MINUTELY;INTERVAL=90'],
    [
      { freq: 'MONTHLY', monthly: 'setpos', ordinal: -1, setPosDays: 'weekday' },
      'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
    ],
    [
      { freq: 'MONTHLY', monthly: 'setpos', ordinal: 1, setPosDays: 'weekend-day' },
      'FREQ=MONTHLY;BYDAY=SA,SU;BYSETPOS=1',
    ],
    [
      { freq: 'YEARLY', yearly: 'setpos', ordinal: -1, setPosDays: 'weekday', month: 12 },
      'FREQ=YEARLY;BYMONTH=12;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
    ],
    [
      { freq: 'YEARLY', yearly: 'week-number', weekNo: 1, weekday: 'MO' },
      'FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO',
    ],
    [{ freq: 'YEARLY', yearly: 'year-day', yearDay: 100 }, 'FREQ=YEARLY;BYYEARDAY=100'],
    [{ freq: 'YEARLY', yearly: 'year-day', yearDay: -1 }, 'FREQ=YEARLY;BYYEARDAY=-1'],
    [
      { freq: 'MONTHLY', monthly: 'setpos', ordinal: -1, times: '17:00' },
      'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=17;BYMINUTE=0;BYSETPOS=-1',
    ],
  ])('%j is %s', (changes, rrule) => {
    expect(built(changes)).toEqual({ rrule });
    const back = readRule(rrule, base, zone);
    if (back.kind !== 'builder') throw new Error(`${rrule}: ${JSON.stringify(back)}`);
    expect(ruleOf(back.state)).toEqual({ rrule });
  });

  it('reads back every week number and day of the year it offers', () => {
    for (const weekNo of WEEK_NUMBERS) {
      const result = built({ freq: 'YEARLY', yearly: 'week-number', weekNo, weekday: 'TH' });
      if (!('rrule' in result)) throw new Error(result.message);
      expect(readRule(result.rrule, base, zone)).toMatchObject({ state: { weekNo } });
    }
    for (const yearDay of YEAR_DAYS) {
      const result = built({ freq: 'YEARLY', yearly: 'year-day', yearDay });
      if (!('rrule' in result)) throw new Error(result.message);
      expect(readRule(result.rrule, base, zone)).toMatchObject({ state: { yearDay } });
    }
  });

  it('starts from the due date: its ISO week and day of the year', () => {
    expect(base).toMatchObject({ weekNo: 13, yearDay: 86, setPosDays: 'weekday', times: '' });
  });

  it.each([
    ['FREQ=SECONDLY', 'seconds'],
    ['FREQ=HOURLY;BYMINUTE=0,30', 'differently'],
    ['FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=2', 'several days'],
    ['FREQ=YEARLY;BYWEEKNO=1,2;BYDAY=MO', 'several'],
    ['FREQ=DAILY;BYHOUR=8', 'differently'],
  ])('shows %s as a custom rule (%s)', (rrule, reason) => {
    expect(readRule(rrule, base, zone)).toEqual({
      kind: 'custom',
      reason: expect.stringContaining(reason),
    });
  });
});
