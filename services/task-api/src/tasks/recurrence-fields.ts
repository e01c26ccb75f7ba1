import type { NewTaskRow, TaskRow } from '@todo/db';
import {
  formatRrule,
  parseRrule,
  parseSeriesRule,
  ruleFromShorthand,
  shorthandOf,
} from '@todo/recurrence';
import { AppError } from '@todo/service-runtime';
import { assertTaskRepeatLimit } from '../recurrence/repeat-limit.js';
import { ruleErrorToAppError } from '../recurrence/rule-errors.js';
import type { CreateTaskBody } from './task.schemas.js';

export type RecurrenceFields = Pick<
  NewTaskRow,
  | 'recurrenceRule'
  | 'recurrenceTimezone'
  | 'recurrenceAnchor'
  | 'recurrenceOverdue'
  | 'recurrenceDtstart'
>;

const NO_RECURRENCE: RecurrenceFields = {
  recurrenceRule: null,
  recurrenceTimezone: null,
  recurrenceAnchor: null,
  recurrenceOverdue: null,
  recurrenceDtstart: null,
};

type RecurrenceInput = Pick<CreateTaskBody, 'recurring_type' | 'recurring_end_date' | 'recurrence'>;

const invalid = (field: string, message: string) =>
  new AppError('validation_failed', 'invalid request body', [{ field, message }]);

/**
 * The recurrence columns a write leads to, from either the full `recurrence` object or the
 * original shorthand. `undefined` means a PATCH left recurrence alone.
 *
 * Editing the rule re-anchors the series at the task's due date, so the change affects only this
 * and future occurrences; an unchanged rule keeps its series start, so moving one occurrence's due
 * date does not shift the schedule.
 */
export async function resolveRecurrence(
  body: RecurrenceInput,
  current: TaskRow | undefined,
  mode: 'replace' | 'patch',
  dueAt: Date | null,
  userTimezone: () => Promise<string>,
): Promise<RecurrenceFields | undefined> {
  const usesShorthand = body.recurring_type !== undefined || body.recurring_end_date !== undefined;
  if (usesShorthand && body.recurrence !== undefined) {
    throw invalid(
      'recurrence',
      'give either recurrence or recurring_type/recurring_end_date, not both',
    );
  }

  let series: {
    rrule: string;
    timezone: string;
    anchor: 'due' | 'completion';
    overdue: 'skip' | 'strict';
  } | null;
  if (body.recurrence !== undefined) {
    if (body.recurrence === null) {
      series = null;
    } else {
      const input = body.recurrence;
      try {
        series = parseSeriesRule({
          rrule: input.rrule,
          timezone: input.timezone ?? current?.recurrenceTimezone ?? (await userTimezone()),
          anchor: input.anchor ?? current?.recurrenceAnchor ?? 'due',
          overdue: input.overdue ?? current?.recurrenceOverdue ?? 'skip',
          // A rule that never occurs after the due date is refused now, not found out at the
          // first completion.
          dtstart: dueAt ? dueAt.toISOString() : null,
        });
      } catch (error) {
        throw ruleErrorToAppError(error, {
          rrule: 'recurrence.rrule',
          timezone: 'recurrence.timezone',
          anchor: 'recurrence.anchor',
        });
      }
      assertTaskRepeatLimit(series, dueAt, 'recurrence.rrule');
    }
  } else if (usesShorthand) {
    const existing =
      mode === 'patch' && current?.recurrenceRule
        ? shorthandOf(parseRrule(current.recurrenceRule))
        : { type: 'none' as const, endDate: null };
    const type = body.recurring_type ?? existing.type;
    const endDate =
      body.recurring_end_date !== undefined ? body.recurring_end_date : existing.endDate;
    if (type === 'custom') {
      throw invalid(
        'recurring_end_date',
        'this task has a custom rule; change recurrence.rrule instead',
      );
    }
    if (type === 'none') {
      if (body.recurring_end_date)
        throw invalid('recurring_end_date', 'needs a recurring_type other than none');
      series = null;
    } else {
      series = {
        rrule: formatRrule(ruleFromShorthand(type, endDate)),
        timezone: current?.recurrenceTimezone ?? (await userTimezone()),
        anchor: current?.recurrenceAnchor ?? 'due',
        overdue: current?.recurrenceOverdue ?? 'skip',
      };
    }
  } else if (mode === 'replace') {
    series = null;
  } else {
    return current?.recurrenceRule && !current.recurrenceDtstart && dueAt
      ? { recurrenceDtstart: dueAt }
      : undefined;
  }

  if (!series) return NO_RECURRENCE;
  const sameSeries =
    current?.recurrenceRule === series.rrule &&
    current.recurrenceTimezone === series.timezone &&
    current.recurrenceAnchor === series.anchor;
  return {
    recurrenceRule: series.rrule,
    recurrenceTimezone: series.timezone,
    recurrenceAnchor: series.anchor,
    recurrenceOverdue: series.overdue,
    recurrenceDtstart: sameSeries && current.recurrenceDtstart ? current.recurrenceDtstart : dueAt,
  };
}
