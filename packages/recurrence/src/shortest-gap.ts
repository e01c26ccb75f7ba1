import type { DateTime } from 'luxon';
import { occurrences } from './expand.js';
import type { Rule } from './rule.js';
import { toFloating } from './zoned-time.js';

/** How many occurrences the gap is measured over (see shortestGapSeconds). */
const SAMPLE = 200;

/**
 * The shortest gap, in seconds, between consecutive occurrences of the rule's schedule from
 * `dtstart`, on the wall clock of the series (a DST change does not make a rule more frequent);
 * undefined when it occurs at most once. A product limit such as "a task repeats at most every 15
 * minutes" compares against it.
 *
 * Measured over the first 200 occurrences, without COUNT or UNTIL: clock parts repeat every day,
 * so 200 occurrences either span a day or more (every gap the clock parts make is among them) or
 * fit inside one day, in which case some gap is under 432 seconds anyway.
 */
export function shortestGapSeconds(rule: Rule, dtstart: DateTime): number | undefined {
  const floating = toFloating(dtstart);
  let previous: number | undefined;
  let shortest: number | undefined;
  let seen = 0;
  for (const o of occurrences(rule, { dtstart: floating, timezone: 'UTC', applyLimits: false })) {
    const ms = o.toMillis();
    if (previous !== undefined) {
      const gap = (ms - previous) / 1000;
      shortest = shortest === undefined ? gap : Math.min(shortest, gap);
    }
    previous = ms;
    seen += 1;
    if (seen >= SAMPLE) break;
  }
  return shortest;
}
