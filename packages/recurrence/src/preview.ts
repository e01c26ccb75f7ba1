import { describeRule } from './describe-rule.js';
import { occurrences, withInstantUntil } from './expand.js';
import { assertRuleCanRecur } from './series.js';
import { parseRrule } from './parse-rrule.js';
import { formatRrule } from './format-rrule.js';
import { assertTimeZone, formatInstant, parseInstant } from './zoned-time.js';

export const MAX_PREVIEW = 100;

export interface Preview {
  rrule: string;
  description: string;
  occurrences: string[];
}

/** The first `count` occurrences of a rule starting at `start`, for showing a rule before saving it. */
export function previewRule(input: {
  rrule: string;
  start: string;
  timezone: string;
  count: number;
}): Preview {
  assertTimeZone(input.timezone);
  const rule = withInstantUntil(parseRrule(input.rrule), input.timezone);
  const dtstart = parseInstant(input.start, input.timezone, 'start');
  assertRuleCanRecur(rule, input.timezone, dtstart);
  const list: string[] = [];
  for (const occurrence of occurrences(rule, { dtstart, timezone: input.timezone })) {
    list.push(formatInstant(occurrence));
    if (list.length >= Math.min(input.count, MAX_PREVIEW)) break;
  }
  return { rrule: formatRrule(rule), description: describeRule(rule, dtstart), occurrences: list };
}
