import type { DateTime } from 'luxon';
import { occurrences, untilInstant } from './expand.js';
import { LATEST_INSTANT_MS } from './instant-range.js';
import type { Rule } from './rule.js';
import { parseSeriesRule, type RecurrenceAnchor, type OverduePolicy } from './series.js';
import { formatInstant, parseInstant } from './zoned-time.js';

export interface CompletedOccurrence {
  rrule: string;
  timezone: string;
  anchor: RecurrenceAnchor;
  overdue: OverduePolicy;
  /** The series' first occurrence (its DTSTART), or null when the series began without a due date. */
  dtstart: string | null;
  /** 0-based position of the completed occurrence in its series. */
  occurrenceIndex: number;
  dueAt: string | null;
  completedAt: string;
}

export type NextOccurrence =
  | {
      kind: 'next';
      /** ISO 8601 with the series zone's offset. */
      dueAt: string;
      occurrenceIndex: number;
      /** The series anchor the next occurrence keeps. */
      dtstart: string;
    }
  | { kind: 'ended'; reason: 'count' | 'until' | 'no_more_occurrences' };

const UNIT = {
  SECONDLY: 'seconds',
  MINUTELY: 'minutes',
  HOURLY: 'hours',
  DAILY: 'days',
  WEEKLY: 'weeks',
  MONTHLY: 'months',
  YEARLY: 'years',
} as const;

function plusInterval(rule: Rule, from: DateTime): DateTime {
  // luxon keeps the wall-clock time across DST and clamps month ends (Jan 31 + 1 month = Feb 28).
  return from.plus({ [UNIT[rule.freq]]: rule.interval });
}

/**
 * The occurrence that follows a completed one. A pure function of its input: it never reads the
 * clock, so a redelivered event computes the same answer.
 *
 * - COUNT counts the occurrences the series creates, the first task included; occurrences skipped
 *   by the overdue policy are not created and do not count.
 * - UNTIL is inclusive.
 * - Due anchor: the next rule occurrence after the due date, or, when the occurrence was completed
 *   late and the policy is `skip`, after the completion time (missed occurrences are skipped).
 *   Occurrences are aligned to the series' DTSTART, so "monthly on the 31st" stays on the 31st.
 * - Completion anchor: INTERVAL units after the completion time.
 */
export function nextOccurrence(input: CompletedOccurrence): NextOccurrence {
  // No dtstart here: whether the rule can recur was checked when it was written; a rule that no
  // longer occurs simply ends the series.
  const series = parseSeriesRule({
    rrule: input.rrule,
    timezone: input.timezone,
    anchor: input.anchor,
    overdue: input.overdue,
  });
  const { rule, timezone } = series;
  const nextIndex = input.occurrenceIndex + 1;
  if (rule.count !== undefined && nextIndex >= rule.count)
    return { kind: 'ended', reason: 'count' };

  const completedAt = parseInstant(input.completedAt, timezone, 'completed_at');
  const dueAt = input.dueAt ? parseInstant(input.dueAt, timezone, 'due_at') : undefined;
  const until = untilInstant(rule, timezone);

  let next: DateTime | undefined;
  let dtstart: DateTime;
  if (series.anchor === 'completion') {
    next = plusInterval(rule, completedAt);
    dtstart = input.dtstart ? parseInstant(input.dtstart, timezone, 'dtstart') : completedAt;
  } else {
    dtstart = input.dtstart
      ? parseInstant(input.dtstart, timezone, 'dtstart')
      : (dueAt ?? completedAt);
    const reference = !dueAt
      ? completedAt
      : series.overdue === 'skip' && completedAt > dueAt
        ? completedAt
        : dueAt;
    next =
      occurrences(rule, { dtstart, timezone, after: reference, applyLimits: false }).next().value ??
      undefined;
    if (!next) return { kind: 'ended', reason: 'no_more_occurrences' };
  }
  if (until && next > until) return { kind: 'ended', reason: 'until' };
  if (next.toMillis() > LATEST_INSTANT_MS) return { kind: 'ended', reason: 'no_more_occurrences' };
  return {
    kind: 'next',
    dueAt: formatInstant(next),
    occurrenceIndex: nextIndex,
    dtstart: formatInstant(dtstart),
  };
}
