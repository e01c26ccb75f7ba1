import { RuleError } from './rule-error.js';
import { hasByParts, type Rule } from './rule.js';
import { parseRrule } from './parse-rrule.js';
import { formatRrule } from './format-rrule.js';
import { assertTimeZone } from './zoned-time.js';

/** Where the next occurrence is measured from. */
export type Anchor = 'due' | 'completion';
/** Completing an overdue occurrence: skip to the next one after the completion, or take the very next. */
export type OverduePolicy = 'skip' | 'strict';

export interface SeriesRule {
  rule: Rule;
  /** Canonical RRULE value. */
  rrule: string;
  timezone: string;
  anchor: Anchor;
  overdue: OverduePolicy;
}

/**
 * Validates a series definition as a whole. From-completion series repeat "INTERVAL units after
 * each completion", which has no meaning for parts that pin calendar days (BYDAY, BYMONTHDAY,
 * BYMONTH), so those need the due-date anchor.
 */
export function parseSeriesRule(input: {
  rrule: string;
  timezone: string;
  anchor?: Anchor;
  overdue?: OverduePolicy;
}): SeriesRule {
  assertTimeZone(input.timezone);
  const rule = parseRrule(input.rrule);
  const anchor = input.anchor ?? 'due';
  if (anchor === 'completion' && hasByParts(rule)) {
    throw new RuleError(
      'anchor',
      'a rule repeated from the completion time cannot use BYDAY, BYMONTHDAY or BYMONTH; anchor it to the due date',
    );
  }
  return {
    rule,
    rrule: formatRrule(rule),
    timezone: input.timezone,
    anchor,
    overdue: input.overdue ?? 'skip',
  };
}
