import { describe, expect, it } from '@jest/globals';
import { formatRrule, parseRrule, RuleError } from '../src/index.js';

describe('parseRrule / formatRrule', () => {
  it.each([
    ['FREQ=DAILY', 'FREQ=DAILY'],
    ['RRULE:freq=weekly;interval=2;byday=MO,WE', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE'],
    // Plain RFC 5545: SKIP=OMIT is the default and is left out.
    ['FREQ=MONTHLY;BYMONTHDAY=-1', 'FREQ=MONTHLY;BYMONTHDAY=-1'],
    ['FREQ=MONTHLY;BYDAY=2TU,-1FR;COUNT=5', 'FREQ=MONTHLY;BYDAY=2TU,-1FR;COUNT=5'],
    ['FREQ=YEARLY;BYMONTH=3,1;BYDAY=-1SU', 'FREQ=YEARLY;BYMONTH=1,3;BYDAY=-1SU'],
    ['FREQ=MONTHLY;RSCALE=GREGORIAN;SKIP=OMIT', 'FREQ=MONTHLY'],
    // Month-end keeping is written out, so a calendar client reads the rule as we do.
    ['FREQ=MONTHLY;SKIP=BACKWARD;RSCALE=GREGORIAN', 'FREQ=MONTHLY;RSCALE=GREGORIAN;SKIP=BACKWARD'],
    ['FREQ=YEARLY;SKIP=FORWARD', 'FREQ=YEARLY;RSCALE=GREGORIAN;SKIP=FORWARD'],
    // SKIP cannot change a daily or weekly rule (BYMONTHDAY only filters there).
    ['FREQ=DAILY;BYMONTHDAY=31;RSCALE=GREGORIAN;SKIP=BACKWARD', 'FREQ=DAILY;BYMONTHDAY=31'],
    ['FREQ=DAILY;UNTIL=20260630T000000Z', 'FREQ=DAILY;UNTIL=20260630T000000Z'],
    ['FREQ=DAILY;UNTIL=20260630', 'FREQ=DAILY;UNTIL=20260630'],
    ['FREQ=WEEKLY;WKST=SU;BYDAY=SU,TU', 'FREQ=WEEKLY;BYDAY=SU,TU;WKST=SU'],
  ])('%s is canonically %s', (input, canonical) => {
    expect(formatRrule(parseRrule(input))).toBe(canonical);
    expect(formatRrule(parseRrule(canonical))).toBe(canonical);
  });

  it.each([
    ['', 'RRULE'],
    ['INTERVAL=2', 'FREQ'],
    ['FREQ=HOURLY', 'FREQ'],
    ['FREQ=DAILY;INTERVAL=0', 'INTERVAL'],
    ['FREQ=DAILY;INTERVAL=two', 'INTERVAL'],
    ['FREQ=WEEKLY;BYDAY=XX', 'BYDAY'],
    ['FREQ=WEEKLY;BYDAY=2MO', 'BYDAY'],
    ['FREQ=MONTHLY;BYDAY=6MO', 'BYDAY'],
    ['FREQ=MONTHLY;BYDAY=0MO', 'BYDAY'],
    ['FREQ=MONTHLY;BYMONTHDAY=32', 'BYMONTHDAY'],
    ['FREQ=MONTHLY;BYMONTHDAY=0', 'BYMONTHDAY'],
    ['FREQ=WEEKLY;BYMONTHDAY=1', 'BYMONTHDAY'],
    ['FREQ=YEARLY;BYMONTH=13', 'BYMONTH'],
    ['FREQ=DAILY;COUNT=3;UNTIL=20260101', 'COUNT'],
    ['FREQ=DAILY;COUNT=0', 'COUNT'],
    ['FREQ=DAILY;UNTIL=20260231', 'UNTIL'],
    ['FREQ=DAILY;UNTIL=tomorrow', 'UNTIL'],
    // Outside the accepted instants (1900..9999 in UTC).
    ['FREQ=DAILY;UNTIL=18991231T235959Z', 'UNTIL'],
    ['FREQ=DAILY;UNTIL=18991231', 'UNTIL'],
    ['FREQ=DAILY;UNTIL=00000101', 'UNTIL'],
    // Years 0..99 must not be read as 1900..1999.
    ['FREQ=DAILY;UNTIL=00000101T000000Z', 'UNTIL'],
    ['FREQ=DAILY;UNTIL=00991231T000000Z', 'UNTIL'],
    ['FREQ=DAILY;UNTIL=00991231', 'UNTIL'],
    ['FREQ=DAILY;BYSETPOS=1', 'BYSETPOS'],
    ['FREQ=DAILY;FREQ=WEEKLY', 'FREQ'],
    ['FREQ=MONTHLY;RSCALE=HEBREW', 'RSCALE'],
    ['FREQ=MONTHLY;SKIP=SIDEWAYS', 'SKIP'],
    ['FREQ', 'RRULE'],
  ])('rejects %j naming %s', (input, part) => {
    try {
      parseRrule(input);
      throw new Error('expected a RuleError');
    } catch (error) {
      expect(error).toBeInstanceOf(RuleError);
      expect((error as RuleError).part).toBe(part);
    }
  });
});
