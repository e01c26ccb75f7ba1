import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { occurrences, parseRrule, WEEKDAYS } from '../src/index.js';
import { ruleArb, startArb, type Freq } from './grammar-arbitraries.js';

/**
 * Where no oracle agrees by design (sub-daily rules across DST changes) or at all, what every
 * expansion must satisfy, over the whole grammar in zones with DST and 30-minute shifts: strictly
 * increasing instants, and every occurrence after DTSTART on a date-time the BY parts allow
 * (read on the wall clock; a time a DST gap moved is checked at the time it was meant for).
 */
const ZONES = ['America/New_York', 'Australia/Lord_Howe', 'America/St_Johns', 'Australia/Adelaide'];
const FREQS: Freq[] = ['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];

describe('every occurrence obeys the rule, whole grammar, DST zones', () => {
  it.each(FREQS)('%s', (freq) => {
    fc.assert(
      fc.property(
        ruleArb(freq, false),
        startArb(false),
        fc.constantFrom(...ZONES),
        (rrule, start, zone) => {
          const rule = parseRrule(rrule);
          const dtstart = DateTime.fromObject(start, { zone });
          const list: DateTime[] = [];
          for (const o of occurrences(rule, { dtstart, timezone: zone })) {
            list.push(o);
            if (list.length >= 25) break;
          }
          for (let i = 1; i < list.length; i += 1) {
            expect(list[i]! > list[i - 1]!).toBe(true);
            const o = list[i]!;
            // The wall-clock time it was meant for: itself, or before a gap moved it on.
            const meant = [o, o.minus({ minutes: 30 }), o.minus({ hours: 1 })].filter(
              (m) => !rule.byHour.length || rule.byHour.includes(m.hour),
            );
            if (rule.byHour.length) expect(meant.length).toBeGreaterThan(0);
            const wall = meant[0] ?? o;
            if (rule.byMonth.length) expect(rule.byMonth).toContain(wall.month);
            if (rule.byMinute.length && wall.equals(o)) expect(rule.byMinute).toContain(o.minute);
            if (rule.bySecond.length) expect(rule.bySecond).toContain(o.second);
            const plainDays = rule.byDay.filter((d) => d.ordinal === undefined);
            if (plainDays.length === rule.byDay.length && plainDays.length && !rule.byWeekNo.length)
              expect(plainDays.map((d) => WEEKDAYS.indexOf(d.weekday) + 1)).toContain(wall.weekday);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
