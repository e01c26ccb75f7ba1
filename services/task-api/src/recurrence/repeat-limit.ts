import { parseRrule, shortestGapSeconds } from '@todo/recurrence';
import { AppError } from '@todo/service-runtime';
import { DateTime } from 'luxon';

/**
 * A product limit, not an RFC one: a task series may not repeat more often than this, so one rule
 * cannot flood a list (and the recurrence engine) with a task a minute. Creating or updating such
 * a task is a 400 naming the limit; previewing the rule still works, so a calendar's rule can be
 * looked at before it is loosened.
 */
export const MIN_TASK_REPEAT_MINUTES = 15;

/** Where a rule without a due date is measured from; its clock pattern is the same any day. */
const NEUTRAL_START = '2000-01-03T00:00:00Z';

/** Refuses a task rule whose occurrences can come closer together than MIN_TASK_REPEAT_MINUTES. */
export function assertTaskRepeatLimit(
  series: { rrule: string; timezone: string },
  dueAt: Date | null,
  field: string,
): void {
  const start = dueAt
    ? DateTime.fromJSDate(dueAt, { zone: series.timezone })
    : DateTime.fromISO(NEUTRAL_START, { zone: series.timezone });
  const gap = shortestGapSeconds(parseRrule(series.rrule), start);
  if (gap === undefined || gap >= MIN_TASK_REPEAT_MINUTES * 60) return;
  const every = gap >= 60 ? `${Math.round((gap / 60) * 10) / 10} minutes` : `${gap} seconds`;
  throw new AppError('validation_failed', 'invalid recurrence rule', [
    {
      field,
      message: `repeats every ${every} at its most frequent; a task may repeat at most every ${MIN_TASK_REPEAT_MINUTES} minutes (the preview still shows such a rule)`,
    },
  ]);
}
