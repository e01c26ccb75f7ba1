import { describe, expect, it } from 'vitest';
import {
  createBody,
  EMPTY_TASK_FORM,
  formValuesFromTask,
  patchBody,
} from '../src/tasks/task-form-values';
import { aTask } from './support/tasks';

const zone = 'Europe/Paris';

describe('createBody', () => {
  it('sends what was filled in, the due date in the profile’s zone, the rule in it too', () => {
    expect(
      createBody(
        {
          title: 'Water the plants',
          description: '',
          priority: 'high',
          tags: 'home, garden, home, ',
          due: '2026-03-02T09:00',
          rrule: ' FREQ=WEEKLY ',
          anchor: 'due',
          overdue: 'strict',
        },
        zone,
      ),
    ).toEqual({
      title: 'Water the plants',
      priority: 'high',
      tags: ['home', 'garden'],
      due_date: '2026-03-02T09:00:00+01:00',
      recurrence: { rrule: 'FREQ=WEEKLY', timezone: zone, anchor: 'due', overdue: 'strict' },
    });
  });

  it('leaves out what was left empty', () => {
    expect(createBody({ ...EMPTY_TASK_FORM, title: 'x' }, zone)).toEqual({
      title: 'x',
      priority: 'medium',
    });
  });
});

describe('patchBody', () => {
  const task = aTask({
    title: 'Water',
    tags: ['home'],
    due_date: '2026-03-02T08:00:00Z',
    recurrence: {
      rrule: 'FREQ=WEEKLY',
      timezone: 'America/New_York',
      anchor: 'due',
      overdue: 'skip',
      dtstart: null,
      description: 'every week',
    },
  });

  it('is nothing when nothing changed', () => {
    expect(patchBody(formValuesFromTask(task, zone), task, zone)).toBeUndefined();
  });

  it('sends only the changed fields, keeping the rule’s own zone', () => {
    const values = { ...formValuesFromTask(task, zone), title: 'Water well', rrule: 'FREQ=DAILY' };
    expect(patchBody(values, task, zone)).toEqual({
      title: 'Water well',
      recurrence: {
        rrule: 'FREQ=DAILY',
        timezone: 'America/New_York',
        anchor: 'due',
        overdue: 'skip',
      },
    });
  });

  it('sends the rule again when only the anchor or the overdue policy changed', () => {
    const values = { ...formValuesFromTask(task, zone), anchor: 'completion' as const };
    expect(patchBody(values, task, zone)).toEqual({
      recurrence: {
        rrule: 'FREQ=WEEKLY',
        timezone: 'America/New_York',
        anchor: 'completion',
        overdue: 'skip',
      },
    });
    const strict = { ...formValuesFromTask(task, zone), overdue: 'strict' as const };
    expect(patchBody(strict, task, zone)?.recurrence).toMatchObject({ overdue: 'strict' });
  });

  it('sends nothing for the rule of a task that does not repeat and still does not', () => {
    const once = aTask({ title: 'Once', recurrence: null });
    const values = { ...formValuesFromTask(once, zone), anchor: 'completion' as const };
    expect(patchBody(values, once, zone)).toBeUndefined();
  });

  it('stops repeating, clears the description and the due date with null', () => {
    const withDescription = { ...task, description: 'Balcony' };
    const values = {
      ...formValuesFromTask(withDescription, zone),
      rrule: '',
      due: '',
      description: '',
    };
    expect(patchBody(values, withDescription, zone)).toEqual({
      recurrence: null,
      due_date: null,
      description: null,
    });
  });
});
