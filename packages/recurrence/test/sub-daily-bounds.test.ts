import { describe, expect, it } from '@jest/globals';
import { parseRrule, parseSeriesRule, RuleError } from '../src/index.js';
import { MAX_SUB_DAILY_STEPS, subDailyPeriods } from '../src/sub-daily.js';
import { firstN } from './support.js';

const refusal = (rrule: string, dtstart: string) => {
  try {
    parseSeriesRule({ rrule, timezone: 'UTC', dtstart });
  } catch (error) {
    return error instanceof RuleError ? error.part : error;
  }
  return undefined;
};

describe('sub-daily rules that can never occur are refused before any walk', () => {
  it.each([
    // Every 2 hours from midnight reaches only even hours.
    ['FREQ=HOURLY;INTERVAL=2;BYHOUR=1', '2026-01-01T00:00:00Z'],
    // Every 7 minutes reaches 10:44 on one weekday only (Thursdays from this start).
    ['FREQ=MINUTELY;INTERVAL=7;BYHOUR=10;BYMINUTE=44;BYDAY=MO,FR,SU', '2026-01-01T00:00:00Z'],
    // Each hourly period holds 2 × 3 date-times: there is no 7th.
    ['FREQ=HOURLY;BYMINUTE=1,2;BYSECOND=1,2,3;BYSETPOS=7', '2026-01-01T00:00:00Z'],
    ['FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30', '2026-01-01T00:00:00Z'],
  ])('%s from %s', (rrule, dtstart) => {
    expect(refusal(rrule, dtstart)).toBe('RRULE');
  });

  it('finds the weekday the interval does reach', () => {
    // 2026-01-01 is a Thursday: 10:44 comes round every 7 days, on Thursdays.
    expect(
      firstN(
        'FREQ=MINUTELY;INTERVAL=7;BYHOUR=10;BYMINUTE=44;BYDAY=TH',
        '2026-01-01T00:00:00Z',
        'UTC',
        3,
      ),
    ).toEqual(['2026-01-01T00:00:00Z', '2026-01-01T10:44:00Z', '2026-01-08T10:44:00Z']);
  });

  it('walks to a rare sub-daily occurrence by jumping, not period by period', () => {
    expect(
      firstN(
        'FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;BYHOUR=5',
        '2026-01-01T00:00:00Z',
        'UTC',
        3,
      ),
    ).toEqual(['2026-01-01T00:00:00Z', '2044-02-29T05:00:00Z', '2072-02-29T05:00:00Z']);
  });
});

describe('the cap on a sub-daily walk', () => {
  // 29 February at 05:00, every hour: each 29 February is one jump from the last.
  const rule = parseRrule('FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=5');
  const start = { startSec: Date.UTC(2026, 0, 1) / 1000, hour: 0, minute: 0, second: 0 };
  const lastDay = Math.floor(Date.UTC(9999, 11, 31) / 86_400_000);

  it('is 10,000 jumps between two periods that yield', () => {
    expect(MAX_SUB_DAILY_STEPS).toBe(10_000);
  });

  it('finds the next period within the cap', () => {
    const first = subDailyPeriods(rule, start, 0, lastDay, 3).next();
    expect(first.done).toBe(false);
    expect(first.value?.days).toEqual([Math.floor(Date.UTC(2028, 1, 29) / 86_400_000)]);
  });

  it('ends the walk, finding nothing, when the cap is spent first', () => {
    // From 2026 the first jump reaches 29 February 2028 only through the day parts; with one
    // jump allowed the walk gives up before placing it.
    expect([...subDailyPeriods(rule, start, 0, lastDay, 1)]).toEqual([]);
  });
});
