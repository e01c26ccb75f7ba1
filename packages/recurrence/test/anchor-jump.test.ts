import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { occurrences, parseRrule } from '../src/index.js';
import { ruleArb, startArb, type Freq } from './grammar-arbitraries.js';

/**
 * Over the whole grammar, in zones with DST and odd offsets: the occurrences after an instant,
 * found by jumping to it (the next-occurrence path), are exactly those of the walk from the
 * series start that come after it. Sub-daily rules are included at every hour, DST changes too.
 */
const ZONES = [
  'UTC',
  'America/New_York',
  'Australia/Lord_Howe',
  'America/St_Johns',
  'Asia/Kolkata',
];
const FREQS: Freq[] = ['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];
const N = 8;

describe('jumping to an instant gives what walking from the start gives, whole grammar', () => {
  it.each(FREQS)('%s', (freq) => {
    fc.assert(
      fc.property(
        ruleArb(freq, false),
        startArb(false),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 40 }),
        (rrule, start, zone, skip) => {
          const rule = parseRrule(rrule);
          const dtstart = DateTime.fromObject(start, { zone });
          const walked: number[] = [];
          for (const o of occurrences(rule, { dtstart, timezone: zone, applyLimits: false })) {
            walked.push(o.toMillis());
            if (walked.length >= skip + N + 1) break;
          }
          fc.pre(walked.length > skip + 1);
          // Just after occurrence `skip`, and exactly on it.
          for (const after of [walked[skip]!, walked[skip]! + 1]) {
            const expected = walked.filter((ms) => ms > after).slice(0, N);
            const jumped: number[] = [];
            const from = DateTime.fromMillis(after, { zone });
            for (const o of occurrences(rule, {
              dtstart,
              timezone: zone,
              after: from,
              applyLimits: false,
            })) {
              jumped.push(o.toMillis());
              if (jumped.length >= expected.length) break;
            }
            expect({ rrule, zone, after, jumped }).toEqual({
              rrule,
              zone,
              after,
              jumped: expected,
            });
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
