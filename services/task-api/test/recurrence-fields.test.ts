import { describe, expect, it } from '@jest/globals';
import type { TaskRow } from '@todo/db';
import { AppError } from '@todo/service-runtime';
import { resolveRecurrence } from '../src/tasks/recurrence-fields.js';

const due = new Date('2030-04-01T07:00:00Z');
const earlierStart = new Date('2030-01-07T07:00:00Z');

/** A stored task; recurring weekly in Paris from `earlierStart` unless overridden. */
const taskRow = (overrides: Partial<TaskRow> = {}): TaskRow => ({
  id: '00000000-0000-4000-8000-000000000001',
  userId: '00000000-0000-4000-8000-000000000002',
  title: 'Gym',
  description: null,
  priority: 'medium',
  status: 'pending',
  tags: [],
  dueAt: due,
  completedAt: null,
  recurrenceRule: 'FREQ=WEEKLY',
  recurrenceTimezone: 'Europe/Paris',
  recurrenceAnchor: 'due',
  recurrenceOverdue: 'skip',
  recurrenceDtstart: earlierStart,
  occurrenceIndex: 0,
  parentTaskId: null,
  seriesId: null,
  createdAt: earlierStart,
  updatedAt: earlierStart,
  version: 1,
  ...overrides,
});

const oneOff = taskRow({
  recurrenceRule: null,
  recurrenceTimezone: null,
  recurrenceAnchor: null,
  recurrenceOverdue: null,
  recurrenceDtstart: null,
});

const NO_RECURRENCE = {
  recurrenceRule: null,
  recurrenceTimezone: null,
  recurrenceAnchor: null,
  recurrenceOverdue: null,
  recurrenceDtstart: null,
};

/** The user's zone, for the cases that must fall back to it. */
const userZone = async () => 'America/New_York';
/** For the cases that must not need it. */
const noUserZone = async (): Promise<string> => {
  throw new Error('the user time zone was looked up');
};

/** The 400 a body gets, as the field it names. */
async function refusedField(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('validation_failed');
  return (error as AppError).details?.[0]?.field;
}

describe('resolveRecurrence', () => {
  it('refuses recurrence together with the shorthand, naming recurrence', async () => {
    for (const body of [
      { recurrence: { rrule: 'FREQ=DAILY' }, recurring_type: 'daily' as const },
      { recurrence: null, recurring_end_date: new Date('2030-06-01T00:00:00Z') },
    ]) {
      expect(await refusedField(resolveRecurrence(body, undefined, 'replace', due, userZone))).toBe(
        'recurrence',
      );
    }
  });

  describe('the recurrence object', () => {
    it('null removes recurrence', async () => {
      expect(
        await resolveRecurrence({ recurrence: null }, taskRow(), 'patch', due, noUserZone),
      ).toEqual(NO_RECURRENCE);
    });

    it('on a new task: the user zone, anchor due, overdue skip, starting at the due date', async () => {
      expect(
        await resolveRecurrence(
          { recurrence: { rrule: 'FREQ=DAILY' } },
          undefined,
          'replace',
          due,
          userZone,
        ),
      ).toEqual({
        recurrenceRule: 'FREQ=DAILY',
        recurrenceTimezone: 'America/New_York',
        recurrenceAnchor: 'due',
        recurrenceOverdue: 'skip',
        recurrenceDtstart: due,
      });
    });

    it('given fields win; missing ones come from the task before the user', async () => {
      const current = taskRow({ recurrenceAnchor: 'completion', recurrenceOverdue: 'strict' });
      expect(
        await resolveRecurrence(
          { recurrence: { rrule: 'FREQ=DAILY', timezone: 'Asia/Tokyo' } },
          current,
          'patch',
          due,
          noUserZone,
        ),
      ).toMatchObject({
        recurrenceTimezone: 'Asia/Tokyo',
        recurrenceAnchor: 'completion',
        recurrenceOverdue: 'strict',
      });
      expect(
        await resolveRecurrence(
          { recurrence: { rrule: 'FREQ=DAILY', anchor: 'due', overdue: 'skip' } },
          current,
          'patch',
          due,
          noUserZone,
        ),
      ).toMatchObject({
        recurrenceTimezone: 'Europe/Paris',
        recurrenceAnchor: 'due',
        recurrenceOverdue: 'skip',
      });
    });

    it('the same series keeps its start; a changed rule starts again at the due date', async () => {
      const same = await resolveRecurrence(
        { recurrence: { rrule: 'FREQ=WEEKLY' } },
        taskRow(),
        'patch',
        due,
        noUserZone,
      );
      expect(same?.recurrenceDtstart).toEqual(earlierStart);
      const changed = await resolveRecurrence(
        { recurrence: { rrule: 'FREQ=WEEKLY;INTERVAL=2' } },
        taskRow(),
        'patch',
        due,
        noUserZone,
      );
      expect(changed?.recurrenceDtstart).toEqual(due);
      const otherZone = await resolveRecurrence(
        { recurrence: { rrule: 'FREQ=WEEKLY', timezone: 'UTC' } },
        taskRow(),
        'patch',
        due,
        noUserZone,
      );
      expect(otherZone?.recurrenceDtstart).toEqual(due);
    });

    it('without a due date the series has no start yet', async () => {
      expect(
        await resolveRecurrence(
          { recurrence: { rrule: 'FREQ=DAILY' } },
          undefined,
          'replace',
          null,
          userZone,
        ),
      ).toMatchObject({ recurrenceRule: 'FREQ=DAILY', recurrenceDtstart: null });
    });

    it('a bad rule or zone is a 400 naming the field inside recurrence', async () => {
      expect(
        await refusedField(
          resolveRecurrence(
            { recurrence: { rrule: 'FREQ=SOMETIMES' } },
            undefined,
            'replace',
            due,
            userZone,
          ),
        ),
      ).toBe('recurrence.rrule');
      expect(
        await refusedField(
          resolveRecurrence(
            { recurrence: { rrule: 'FREQ=DAILY', timezone: 'Mars/Olympus_Mons' } },
            undefined,
            'replace',
            due,
            userZone,
          ),
        ),
      ).toBe('recurrence.timezone');
    });

    it('a rule that never occurs after the due date is refused now', async () => {
      // Every 7 days from the due date, on Mondays: never from a Sunday, every week from a Monday.
      const rule = { recurrence: { rrule: 'FREQ=DAILY;INTERVAL=7;BYDAY=MO' } };
      const sunday = new Date('2026-01-04T09:00:00Z');
      const monday = new Date('2026-01-05T09:00:00Z');
      expect(
        await refusedField(resolveRecurrence(rule, undefined, 'replace', sunday, userZone)),
      ).toBe('recurrence.rrule');
      expect(await resolveRecurrence(rule, undefined, 'replace', monday, userZone)).toMatchObject({
        recurrenceRule: 'FREQ=DAILY;INTERVAL=7;BYDAY=MO',
      });
    });
  });

  describe('the shorthand', () => {
    it('on a new task: the rule it stands for, in the user zone, from the due date', async () => {
      expect(
        await resolveRecurrence(
          { recurring_type: 'weekly', recurring_end_date: new Date('2030-06-01T00:00:00Z') },
          undefined,
          'replace',
          due,
          userZone,
        ),
      ).toEqual({
        recurrenceRule: 'FREQ=WEEKLY;UNTIL=20300601T000000Z',
        recurrenceTimezone: 'America/New_York',
        recurrenceAnchor: 'due',
        recurrenceOverdue: 'skip',
        recurrenceDtstart: due,
      });
    });

    it('a PATCH of only the end date keeps the type, the zone and the series start', async () => {
      expect(
        await resolveRecurrence(
          { recurring_end_date: new Date('2030-06-01T00:00:00Z') },
          taskRow({ recurrenceAnchor: 'completion', recurrenceOverdue: 'strict' }),
          'patch',
          due,
          noUserZone,
        ),
      ).toEqual({
        recurrenceRule: 'FREQ=WEEKLY;UNTIL=20300601T000000Z',
        recurrenceTimezone: 'Europe/Paris',
        recurrenceAnchor: 'completion',
        recurrenceOverdue: 'strict',
        // The rule changed (it has an end now), so the series starts again at the due date.
        recurrenceDtstart: due,
      });
      // The same type again is the same series: its start stays.
      expect(
        (await resolveRecurrence({ recurring_type: 'weekly' }, taskRow(), 'patch', due, noUserZone))
          ?.recurrenceDtstart,
      ).toEqual(earlierStart);
    });

    it('a PUT of only the end date starts from no recurrence, so it needs a type', async () => {
      expect(
        await refusedField(
          resolveRecurrence(
            { recurring_end_date: new Date('2030-06-01T00:00:00Z') },
            taskRow(),
            'replace',
            due,
            noUserZone,
          ),
        ),
      ).toBe('recurring_end_date');
    });

    it('type none removes recurrence', async () => {
      expect(
        await resolveRecurrence({ recurring_type: 'none' }, taskRow(), 'patch', due, noUserZone),
      ).toEqual(NO_RECURRENCE);
    });

    it('refuses an end date with type none, and the shorthand on a custom rule', async () => {
      expect(
        await refusedField(
          resolveRecurrence(
            { recurring_type: 'none', recurring_end_date: new Date('2030-06-01T00:00:00Z') },
            undefined,
            'replace',
            due,
            userZone,
          ),
        ),
      ).toBe('recurring_end_date');
      expect(
        await refusedField(
          resolveRecurrence(
            { recurring_end_date: null },
            taskRow({ recurrenceRule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE' }),
            'patch',
            due,
            noUserZone,
          ),
        ),
      ).toBe('recurring_end_date');
    });
  });

  describe('neither', () => {
    it('a PUT without recurrence makes the task a one-off', async () => {
      expect(await resolveRecurrence({}, taskRow(), 'replace', due, noUserZone)).toEqual(
        NO_RECURRENCE,
      );
    });

    it('a PATCH leaves recurrence alone', async () => {
      expect(await resolveRecurrence({}, taskRow(), 'patch', due, noUserZone)).toBeUndefined();
      expect(await resolveRecurrence({}, oneOff, 'patch', due, noUserZone)).toBeUndefined();
    });

    it('a PATCH giving a due date to a recurring task without a start gives the series its start', async () => {
      const unstarted = taskRow({ recurrenceDtstart: null, dueAt: null });
      expect(await resolveRecurrence({}, unstarted, 'patch', due, noUserZone)).toEqual({
        recurrenceDtstart: due,
      });
      expect(await resolveRecurrence({}, unstarted, 'patch', null, noUserZone)).toBeUndefined();
    });
  });
});
