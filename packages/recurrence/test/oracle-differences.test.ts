import { describe, expect, it } from '@jest/globals';
import { firstN } from './support.js';

/**
 * Where rrule-temporal (the property tests' oracle) answers otherwise, and why ours is right. Each
 * expected list was checked against python-dateutil 2.9, a second independent implementation,
 * which agrees with ours on all of them. See the README, "Where the oracle differs".
 */
describe('where rrule-temporal differs', () => {
  it.each([
    [
      // rrule-temporal: 2020-12-28, 2020-12-29 (the last Monday and Tuesday, not month ends):
      // it drops BYMONTHDAY when BYDAY has ordinals. In a yearly rule without BYMONTH the
      // ordinal counts within the year (RFC 5545), so only a 31 December on one of them counts.
      'FREQ=YEARLY;BYMONTHDAY=-1;BYDAY=-1MO,-1TU',
      '2020-01-01T00:00:00Z',
      ['2024-12-31T00:00:00Z', '2029-12-31T00:00:00Z', '2030-12-31T00:00:00Z'],
    ],
    [
      // rrule-temporal: 2021-04-29 (day 119, but the 29th): it unites BYYEARDAY and BYMONTHDAY,
      // where RFC 5545 has BYMONTHDAY limit what BYYEARDAY expands.
      'FREQ=YEARLY;BYYEARDAY=281,119,50;BYMONTHDAY=19,-25',
      '2021-03-10T10:00:00Z',
      ['2022-02-19T10:00:00Z', '2023-02-19T10:00:00Z', '2024-02-19T10:00:00Z'],
    ],
    [
      // rrule-temporal: 2021-04-02, a Friday: BYDAY must limit BYYEARDAY.
      'FREQ=YEARLY;BYYEARDAY=-254,-274,284;BYDAY=TH,WE',
      '2021-03-10T10:00:00Z',
      ['2021-04-22T10:00:00Z', '2023-10-11T10:00:00Z', '2024-10-10T10:00:00Z'],
    ],
    [
      // rrule-temporal: 2021-11-03, neither the 14th nor 31 days before a month's end: BYMONTHDAY
      // must limit the weeks BYWEEKNO expands to.
      'FREQ=YEARLY;BYWEEKNO=-9,9;BYMONTHDAY=14,-31',
      '2021-03-10T10:00:00Z',
      ['2022-03-01T10:00:00Z', '2023-03-01T10:00:00Z', '2024-03-01T10:00:00Z'],
    ],
    [
      // rrule-temporal: 2021-03-19, a Friday, not the third Thursday, Monday, Tuesday or Sunday.
      'FREQ=YEARLY;BYMONTH=5,3;BYYEARDAY=-288;BYDAY=3TH,3MO,3TU,3SU',
      '2021-03-10T10:00:00Z',
      ['2023-03-19T10:00:00Z', '2024-03-19T10:00:00Z', '2026-03-19T10:00:00Z'],
    ],
  ])('%s from %s', (rrule, start, expected) => {
    expect(firstN(rrule, start, 'UTC', expected.length + 1).slice(1)).toEqual(expected);
  });

  it('counts sub-daily periods on the wall clock, as dateutil and libical do (rrule-temporal counts elapsed time)', () => {
    // New York falls back at 02:00 on 2026-11-01: the wall clock shows 01:00 twice. An hourly
    // rule keeps the first 01:00 (like every other repeated time) and goes on at 02:00.
    expect(firstN('FREQ=HOURLY', '2026-11-01T00:00:00-04:00', 'America/New_York', 4)).toEqual([
      '2026-11-01T00:00:00-04:00',
      '2026-11-01T01:00:00-04:00',
      '2026-11-01T02:00:00-05:00',
      '2026-11-01T03:00:00-05:00',
    ]);
    // Springing forward, 02:00 does not exist and moves to 03:00, which the rule also gives:
    // one occurrence, not two.
    expect(firstN('FREQ=HOURLY', '2026-03-08T00:00:00-05:00', 'America/New_York', 4)).toEqual([
      '2026-03-08T00:00:00-05:00',
      '2026-03-08T01:00:00-05:00',
      '2026-03-08T03:00:00-04:00',
      '2026-03-08T04:00:00-04:00',
    ]);
  });

  it('gives a yearly BYWEEKNO without BYDAY the start’s weekday, as rrule-temporal does (dateutil gives the whole week)', () => {
    expect(firstN('FREQ=YEARLY;BYWEEKNO=10', '2021-03-10T10:00:00Z', 'UTC', 3)).toEqual([
      '2021-03-10T10:00:00Z',
      '2022-03-09T10:00:00Z',
      '2023-03-08T10:00:00Z',
    ]);
  });
});
