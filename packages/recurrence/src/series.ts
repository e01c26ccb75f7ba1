import { DateTime } from 'luxon';
import { RuleError } from './rule-error.js';
import { hasByParts, type Rule } from './rule.js';
import { parseRrule } from './parse-rrule.js';
import { formatRrule } from './format-rrule.js';
import { secondOccurrence, withInstantUntil } from './expand.js';
import { assertTimeZone, parseInstant } from './zoned-time.js';

/** Where the next occurrence is measured from: the due date (no drift) or the completion time. */
export const RECURRENCE_ANCHORS = ['due', 'completion'] as const;
export type RecurrenceAnchor = (typeof RECURRENCE_ANCHORS)[number];
/** Completing an overdue occurrence: skip to the first one after the completion, or take the very next. */
export const OVERDUE_POLICIES = ['skip', 'strict'] as const;
export type OverduePolicy = (typeof OVERDUE_POLICIES)[number];

export interface SeriesRule {
  rule: Rule;
  /** Canonical RRULE value. */
  rrule: string;
  timezone: string;
  anchor: RecurrenceAnchor;
  overdue: OverduePolicy;
}

/** Where a rule that only pins calendar parts is tried when the series has no start yet. */
const NEUTRAL_START = DateTime.fromISO('2000-01-01T00:00:00Z', { zone: 'utc' });

/**
 * Refuses a rule that can never occur again after its start, such as
 * `FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30` or `FREQ=DAILY;INTERVAL=7;BYDAY=MO` from a Sunday, so it
 * is a 400 when written rather than a series that silently ends. Without a start, only what the
 * calendar alone rules out is refused. Bounded like every expansion (expand.ts).
 */
export function assertRuleCanRecur(rule: Rule, timezone: string, dtstart?: DateTime): void {
  const start = dtstart ?? (hasByParts(rule) ? NEUTRAL_START : undefined);
  if (!start) return;
  const probe = dtstart ? rule : { ...rule, interval: 1 };
  const zone = dtstart ? timezone : 'UTC';
  if (secondOccurrence(probe, start, zone)) return;
  // Near the end of the range a rule may simply run out of calendar. 400 years earlier the
  // calendar (and the series' alignment to its start) is exactly the same, so the rule is sound if
  // it recurs from there: "weekly from 9999-12-31" is accepted and ends, as the shorthand does.
  const earlier = start.minus({ years: 400 });
  if (earlier.year < 1900 || !secondOccurrence(probe, earlier, zone)) {
    throw new RuleError(
      'RRULE',
      dtstart
        ? 'never occurs after its start (no date matches every part of the rule)'
        : 'never occurs (no date matches every part of the rule)',
    );
  }
}

/**
 * Validates a series definition as a whole. From-completion series repeat "INTERVAL units after
 * each completion", which has no meaning for parts that pin calendar days or clock times (BYDAY,
 * BYHOUR, BYMONTH, ...), so those need the due-date anchor. Given the series start, the rule must occur after
 * it; a date-only UNTIL becomes the UTC date-time RFC 5545 requires beside a zoned start.
 */
export function parseSeriesRule(input: {
  rrule: string;
  timezone: string;
  anchor?: RecurrenceAnchor;
  overdue?: OverduePolicy;
  /** ISO 8601 with offset; when given, the rule is checked to occur after it. */
  dtstart?: string | null;
}): SeriesRule {
  assertTimeZone(input.timezone);
  const rule = withInstantUntil(parseRrule(input.rrule), input.timezone);
  const anchor = input.anchor ?? 'due';
  if (anchor === 'completion' && hasByParts(rule)) {
    throw new RuleError(
      'anchor',
      'a rule repeated from the completion time cannot use BY parts (BYDAY, BYHOUR, BYMONTH, ...); anchor it to the due date',
    );
  }
  if (anchor === 'due' && input.dtstart !== undefined) {
    const dtstart = input.dtstart
      ? parseInstant(input.dtstart, input.timezone, 'dtstart')
      : undefined;
    assertRuleCanRecur(rule, input.timezone, dtstart);
  }
  return {
    rule,
    rrule: formatRrule(rule),
    timezone: input.timezone,
    anchor,
    overdue: input.overdue ?? 'skip',
  };
}
