import { describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { parseRrule, shortestGapSeconds } from '../src/index.js';

describe('shortestGapSeconds', () => {
  const start = DateTime.fromISO('2026-03-07T23:00:00', { zone: 'America/New_York' });
  it.each([
    ['FREQ=DAILY', 86_400],
    ['FREQ=DAILY;BYHOUR=23,0;BYMINUTE=0', 3600],
    ['FREQ=MINUTELY;INTERVAL=90', 5400],
    ['FREQ=HOURLY;BYMINUTE=0,50', 600],
    ['FREQ=SECONDLY;INTERVAL=30', 30],
    ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1', 86_400],
  ])('of %s is %i seconds, on the wall clock even across a DST change', (rrule, seconds) => {
    expect(shortestGapSeconds(parseRrule(rrule), start)).toBe(seconds);
  });

  it('is undefined for a rule that never occurs after its start', () => {
    // From 22:00, every 2 hours only reaches even hours.
    const even = start.set({ hour: 22 });
    expect(shortestGapSeconds(parseRrule('FREQ=HOURLY;INTERVAL=2;BYHOUR=1'), even)).toBe(undefined);
    // From 23:00 it reaches 01:00, two hours later.
    expect(shortestGapSeconds(parseRrule('FREQ=HOURLY;INTERVAL=2;BYHOUR=1'), start)).toBe(7200);
  });
});
