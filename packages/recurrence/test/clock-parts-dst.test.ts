import { describe, expect, it } from '@jest/globals';
import { firstN } from './support.js';

/** The DST policy (README, "time zones") holds for times BYHOUR/BYMINUTE name, not only DTSTART's. */
describe('clock parts across DST changes', () => {
  it('moves a named time inside a spring-forward gap forward by the gap', () => {
    // New York skips 02:00-03:00 on 2026-03-08.
    expect(
      firstN('FREQ=DAILY;BYHOUR=2;BYMINUTE=30', '2026-03-07T02:30:00-05:00', 'America/New_York', 3),
    ).toEqual([
      '2026-03-07T02:30:00-05:00',
      '2026-03-08T03:30:00-04:00',
      '2026-03-09T02:30:00-04:00',
    ]);
  });

  it('gives one occurrence when the gap moves a time onto another the rule names', () => {
    expect(
      firstN(
        'FREQ=DAILY;BYHOUR=2,3;BYMINUTE=30',
        '2026-03-08T00:00:00-05:00',
        'America/New_York',
        3,
      ),
    ).toEqual([
      '2026-03-08T00:00:00-05:00',
      '2026-03-08T03:30:00-04:00',
      '2026-03-09T02:30:00-04:00',
    ]);
  });

  it('takes the first of a repeated time', () => {
    // New York repeats 01:00-02:00 on 2026-11-01.
    expect(
      firstN('FREQ=DAILY;BYHOUR=1;BYMINUTE=30', '2026-10-31T01:30:00-04:00', 'America/New_York', 3),
    ).toEqual([
      '2026-10-31T01:30:00-04:00',
      '2026-11-01T01:30:00-04:00',
      '2026-11-02T01:30:00-05:00',
    ]);
  });

  it('keeps every time a half-hour gap moves, in order (Lord Howe)', () => {
    // Australia/Lord_Howe springs forward from 02:00 to 02:30 on 2026-10-04: 02:00 and 02:20
    // move 30 minutes on, and 02:20's new time comes after 02:40's, in order.
    expect(
      firstN('FREQ=MINUTELY;INTERVAL=20', '2026-10-04T01:40:00+10:30', 'Australia/Lord_Howe', 4),
    ).toEqual([
      '2026-10-04T01:40:00+10:30',
      '2026-10-04T02:30:00+11:00',
      '2026-10-04T02:40:00+11:00',
      '2026-10-04T02:50:00+11:00',
    ]);
  });
});
