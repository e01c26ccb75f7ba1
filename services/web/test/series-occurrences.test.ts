import type { Task } from '@todo/api-client';
import { describe, expect, it } from 'vitest';
import {
  nextDates,
  nextDatesPlan,
  PREVIEW_COUNT,
  seriesOccurrences,
  seriesQuery,
  wholeList,
} from '../src/series/series-occurrences';
import { applyChangeToList } from '../src/stream/task-list-updates';
import { aTask } from './support/tasks';

const weekly = (fields: Partial<NonNullable<Task['recurrence']>> = {}): Task['recurrence'] => ({
  rrule: 'FREQ=WEEKLY',
  timezone: 'Europe/Paris',
  anchor: 'due',
  overdue: 'skip',
  dtstart: '2026-03-02T08:00:00Z',
  description: 'every week',
  ...fields,
});

describe('seriesOccurrences', () => {
  const first = aTask({ title: 'Water', recurrence: weekly(), status: 'done' });
  const series = first.series_id;
  const second = aTask({
    title: 'Water',
    series_id: series,
    parent_task_id: first.id,
    occurrence_index: 1,
    recurrence: weekly(),
  });
  const stranger = aTask({ title: 'Water' });

  it('keeps the series’ tasks only, once each, in series order', () => {
    const found = seriesOccurrences(second, [stranger, second, first, first]);
    expect(found.map((t) => t.id)).toEqual([first.id, second.id]);
  });

  it('keeps the newer copy of a task found twice', () => {
    const newer = { ...second, status: 'done' as const, updated_at: '2026-03-09T10:00:00Z' };
    expect(seriesOccurrences(second, [newer]).find((t) => t.id === second.id)?.status).toBe('done');
    expect(seriesOccurrences(newer, [second]).find((t) => t.id === second.id)?.status).toBe('done');
  });
});

describe('the series list', () => {
  const first = aTask({ title: 'Water', created_at: '2026-03-02T08:00:00Z' });
  const query = seriesQuery(first.series_id);
  const occurrence = (index: number) =>
    aTask({
      title: 'Water',
      series_id: first.series_id,
      occurrence_index: index,
      created_at: `2026-03-0${2 + index}T08:00:00Z`,
    });

  it('takes a next occurrence from the live stream however many it holds', () => {
    const known = [first, ...[1, 2, 3].map(occurrence)];
    const next = occurrence(4);
    const list = applyChangeToList(wholeList(known), query, { kind: 'upsert', task: next });
    expect(list.items.map((t) => t.id)).toEqual([...known, next].map((t) => t.id));
    expect(list.total).toBe(5);
  });

  it('leaves out a task of another series', () => {
    const list = applyChangeToList(wholeList([first]), query, { kind: 'upsert', task: aTask() });
    expect(list.items).toEqual([first]);
  });
});

describe('nextDatesPlan', () => {
  const now = new Date('2026-03-10T12:00:00Z');

  it('previews the rule from the latest due date and takes the dates after it', () => {
    const latest = aTask({ due_date: '2026-03-16T08:00:00Z', recurrence: weekly() });
    const plan = nextDatesPlan(latest, now, 2);
    expect(plan).toEqual({
      kind: 'preview',
      query: {
        rrule: 'FREQ=WEEKLY',
        start: '2026-03-16T08:00:00Z',
        tz: 'Europe/Paris',
        count: PREVIEW_COUNT,
      },
      after: '2026-03-16T08:00:00Z',
      take: 2,
    });
    if (plan.kind !== 'preview') throw new Error('no plan');
    expect(
      nextDates(plan, [
        '2026-03-16T08:00:00Z',
        '2026-03-23T08:00:00Z',
        '2026-03-30T07:00:00Z',
        '2026-04-06T07:00:00Z',
      ]),
    ).toEqual(['2026-03-23T08:00:00Z', '2026-03-30T07:00:00Z']);
  });

  it('skips the dates already past when the latest is overdue and the policy skips', () => {
    const latest = aTask({ due_date: '2026-02-23T08:00:00Z', recurrence: weekly() });
    expect(nextDatesPlan(latest, now)).toMatchObject({ after: now.toISOString() });
    const strict = aTask({
      due_date: '2026-02-23T08:00:00Z',
      recurrence: weekly({ overdue: 'strict' }),
    });
    expect(nextDatesPlan(strict, now)).toMatchObject({ after: '2026-02-23T08:00:00Z' });
  });

  it('counts the occurrences COUNT leaves after the latest one, and drops COUNT from the preview', () => {
    const third = aTask({
      due_date: '2026-03-16T08:00:00Z',
      occurrence_index: 2,
      recurrence: weekly({ rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=5' }),
    });
    expect(nextDatesPlan(third, now)).toMatchObject({
      query: { rrule: 'FREQ=WEEKLY;BYDAY=MO' },
      take: 2,
    });
    const fifth = { ...third, occurrence_index: 4 };
    expect(nextDatesPlan(fifth, now)).toEqual({
      kind: 'none',
      reason: 'This is the last occurrence of the series.',
    });
  });

  it.each([
    ['no rule any more', { recurrence: null }, /no longer repeats/],
    ['done', { status: 'done' as const }, /appears shortly/],
    ['repeats from completion', { recurrence: weekly({ anchor: 'completion' }) }, /completion/],
    ['has no due date', { due_date: null }, /Without a due date/],
  ])('says why there are no dates when the latest %s', (_case, fields, reason) => {
    const latest = aTask({ due_date: '2026-03-16T08:00:00Z', recurrence: weekly(), ...fields });
    const plan = nextDatesPlan(latest, now);
    expect(plan.kind).toBe('none');
    expect(plan.kind === 'none' && plan.reason).toMatch(reason);
  });
});
