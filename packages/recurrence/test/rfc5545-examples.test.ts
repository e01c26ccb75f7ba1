import { describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { RFC5545_EXAMPLES, type Rfc5545Example } from '../src/conformance/rfc5545-examples.js';
import { occurrences, parseRrule, previewRule } from '../src/index.js';

const wallClock = (instant: DateTime, zone: string) =>
  instant.setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm");

/** The example's occurrences as the RFC writes them: one more than listed, to see a series end. */
function expand(example: Rfc5545Example): string[] {
  const dtstart = DateTime.fromISO(example.dtstart, { zone: example.zone });
  const out: string[] = [];
  const wanted = example.expected.length + (example.dropStart ? 2 : 1);
  for (const o of occurrences(parseRrule(example.rrule), { dtstart, timezone: example.zone })) {
    out.push(wallClock(o, example.zone));
    if (out.length >= wanted) break;
  }
  return example.dropStart ? out.slice(1) : out;
}

/** The listed occurrences with DTSTART's time written out where the table leaves it implicit. */
const listed = (example: Rfc5545Example) =>
  example.expected.map((d) => (d.includes('T') ? d : `${d}${example.dtstart.slice(10)}`));

const finite = (rrule: string) => /COUNT=|UNTIL=/.test(rrule);

describe('RFC 5545 section 3.8.5.3 examples', () => {
  it.each(RFC5545_EXAMPLES.map((e) => [e.name, e] as const))('%s', (_, example) => {
    const got = expand(example);
    if (finite(example.rrule)) expect(got).toEqual(listed(example));
    else expect(got.slice(0, example.expected.length)).toEqual(listed(example));
  });

  it('gives the same answers through previewRule', () => {
    for (const example of RFC5545_EXAMPLES) {
      const start = DateTime.fromISO(example.dtstart, { zone: example.zone }).toISO()!;
      const preview = previewRule({
        rrule: example.rrule,
        start,
        timezone: example.zone,
        count: 100,
      });
      const got = preview.occurrences.map((o) =>
        wallClock(DateTime.fromISO(o, { setZone: true }), example.zone),
      );
      const shown = (example.dropStart ? got.slice(1) : got).slice(0, example.expected.length);
      expect([example.name, shown]).toEqual([example.name, listed(example).slice(0, shown.length)]);
    }
  });
});
