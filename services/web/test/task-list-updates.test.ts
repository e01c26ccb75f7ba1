import type { TaskStreamEvent } from '@todo/api-client';
import { describe, expect, it } from 'vitest';
import {
  actionForEvent,
  applyChangeToList,
  compareForQuery,
  matchesQuery,
} from '../src/stream/task-list-updates';
import { aPage, aTask } from './support/tasks';

describe('actionForEvent', () => {
  it('turns task events into changes and control events into refetches', () => {
    const task = aTask();
    const change = (type: 'created' | 'completed') =>
      ({
        event: type,
        id: '7',
        data: { event_id: 'e', type, task, occurred_at: task.updated_at },
      }) as TaskStreamEvent;
    expect(actionForEvent(change('created'))).toEqual({
      kind: 'change',
      change: { kind: 'upsert', task },
    });
    expect(actionForEvent(change('completed'))).toMatchObject({ change: { task } });
    expect(
      actionForEvent({
        event: 'deleted',
        id: '8',
        data: {
          event_id: 'e',
          type: 'deleted',
          task_id: task.id,
          series_id: task.series_id,
          occurred_at: '',
        },
      } as TaskStreamEvent),
    ).toEqual({ kind: 'change', change: { kind: 'delete', taskId: task.id } });
    expect(
      actionForEvent({
        event: 'reset',
        id: '9',
        data: { type: 'reset', reason: 'expired', last_event_id: '9' },
      }),
    ).toEqual({ kind: 'refetch' });
  });

  it('ignores events it does not know', () => {
    expect(actionForEvent({ event: 'from_the_future', id: '1', data: {} } as never)).toEqual({
      kind: 'none',
    });
  });
});

describe('matchesQuery', () => {
  const task = aTask({
    title: 'Water the plants',
    description: 'Balcony',
    status: 'pending',
    priority: 'high',
    tags: ['home', 'garden'],
    due_date: '2026-03-02T09:00:00+01:00',
  });

  it('applies the API’s filters', () => {
    expect(matchesQuery(task, {})).toBe(true);
    expect(matchesQuery(task, { status: 'pending,in_progress' })).toBe(true);
    expect(matchesQuery(task, { status: 'done' })).toBe(false);
    expect(matchesQuery(task, { priority: 'low,medium' })).toBe(false);
    expect(matchesQuery(task, { tag: ['home', 'garden'] })).toBe(true);
    expect(matchesQuery(task, { tag: 'work' })).toBe(false);
    expect(matchesQuery(task, { q: 'PLANT' })).toBe(true);
    expect(matchesQuery(task, { q: 'balc' })).toBe(true);
    expect(matchesQuery(task, { q: 'kitchen' })).toBe(false);
    expect(matchesQuery(task, { series_id: task.series_id })).toBe(true);
    expect(matchesQuery(task, { series_id: aTask().series_id })).toBe(false);
  });

  it('takes due_after as inclusive and due_before as exclusive, in any offset', () => {
    expect(matchesQuery(task, { due_after: '2026-03-02T08:00:00Z' })).toBe(true);
    expect(matchesQuery(task, { due_before: '2026-03-02T08:00:00Z' })).toBe(false);
    expect(matchesQuery(task, { due_before: '2026-03-02T08:00:01Z' })).toBe(true);
    expect(matchesQuery(aTask({ due_date: null }), { due_after: '2026-01-01T00:00:00Z' })).toBe(
      false,
    );
  });
});

describe('compareForQuery', () => {
  it('puts tasks without a due date last in either direction', () => {
    const dated = aTask({ due_date: '2026-03-02T09:00:00Z' });
    const later = aTask({ due_date: '2026-03-05T09:00:00Z' });
    const undated = aTask({ due_date: null });
    const sorted = (order: 'asc' | 'desc') =>
      [undated, later, dated].sort(compareForQuery({ sort: 'due_date', order })).map((t) => t.id);
    expect(sorted('asc')).toEqual([dated.id, later.id, undated.id]);
    expect(sorted('desc')).toEqual([later.id, dated.id, undated.id]);
  });

  it('defaults to newest first, ties broken by id', () => {
    const a = aTask({ created_at: '2026-03-01T10:00:00Z' });
    const b = aTask({ created_at: '2026-03-01T10:00:00Z' });
    const c = aTask({ created_at: '2026-03-02T10:00:00Z' });
    expect([a, b, c].sort(compareForQuery({})).map((t) => t.id)).toEqual([c.id, b.id, a.id]);
  });
});

describe('applyChangeToList', () => {
  const byDue = { sort: 'due_date' as const, status: 'pending' };
  const due = (day: number) => `2026-03-${String(day).padStart(2, '0')}T09:00:00Z`;

  it('places a new matching task where the order puts it, counting it', () => {
    const first = aTask({ due_date: due(2) });
    const third = aTask({ due_date: due(9) });
    const next = aTask({ due_date: due(5) });
    const page = applyChangeToList(aPage([first, third]), byDue, { kind: 'upsert', task: next });
    expect(page.items.map((t) => t.id)).toEqual([first.id, next.id, third.id]);
    expect(page.total).toBe(3);
  });

  it('shows the next occurrence and drops the completed one from an open-tasks list', () => {
    const done = aTask({ due_date: due(2) });
    const list = aPage([done]);
    const completed = { ...done, status: 'done' as const, updated_at: '2026-03-02T10:00:00Z' };
    const child = aTask({ due_date: due(9), parent_task_id: done.id, series_id: done.series_id });
    const afterCompletion = applyChangeToList(list, byDue, { kind: 'upsert', task: completed });
    expect(afterCompletion).toMatchObject({ items: [], total: 0 });
    const afterChild = applyChangeToList(afterCompletion, byDue, { kind: 'upsert', task: child });
    expect(afterChild).toMatchObject({ items: [child], total: 1 });
  });

  it('replaces a task in place, and moves it when its sort key changed', () => {
    const a = aTask({ due_date: due(2) });
    const b = aTask({ due_date: due(4) });
    const moved = { ...a, title: 'Moved', due_date: due(6), updated_at: '2026-03-02T11:00:00Z' };
    const page = applyChangeToList(aPage([a, b]), byDue, { kind: 'upsert', task: moved });
    expect(page.items.map((t) => t.title)).toEqual([b.title, 'Moved']);
    expect(page.total).toBe(2);
  });

  it('ignores an older version of a task it shows', () => {
    const task = aTask({ title: 'New', updated_at: '2026-03-02T11:00:00Z' });
    const stale = { ...task, title: 'Old', updated_at: '2026-03-02T10:00:00Z' };
    const page = aPage([task]);
    expect(applyChangeToList(page, {}, { kind: 'upsert', task: stale })).toBe(page);
  });

  it('leaves a task that belongs on another page off this one, but counts it', () => {
    const shown = Array.from({ length: 2 }, (_, i) => aTask({ due_date: due(10 + i) }));
    const later = applyChangeToList(aPage(shown, { limit: 2, total: 2 }), byDue, {
      kind: 'upsert',
      task: aTask({ due_date: due(20) }),
    });
    expect(later.items).toEqual(shown);
    expect(later.total).toBe(3);
    const earlier = applyChangeToList(aPage(shown, { offset: 2, total: 4 }), byDue, {
      kind: 'upsert',
      task: aTask({ due_date: due(1) }),
    });
    expect(earlier.items).toEqual(shown);
    expect(earlier.total).toBe(5);
    const byCursor = applyChangeToList(
      aPage(shown, { total: 4 }),
      { ...byDue, cursor: 'c1' },
      {
        kind: 'upsert',
        task: aTask({ due_date: due(1) }),
      },
    );
    expect(byCursor.items).toEqual(shown);
    expect(byCursor.total).toBe(5);
  });

  it('keeps a full page full when a task lands in its middle', () => {
    const shown = [aTask({ due_date: due(2) }), aTask({ due_date: due(8) })];
    const page = applyChangeToList(aPage(shown, { limit: 2, total: 5 }), byDue, {
      kind: 'upsert',
      task: aTask({ title: 'Middle', due_date: due(5) }),
    });
    expect(page.items.map((t) => t.title)).toEqual([shown[0]!.title, 'Middle']);
    expect(page.total).toBe(6);
  });

  it('removes a deleted task it shows', () => {
    const a = aTask();
    const b = aTask();
    const page = applyChangeToList(aPage([a, b]), {}, { kind: 'delete', taskId: a.id });
    expect(page).toMatchObject({ items: [b], total: 1 });
    const untouched = aPage([b]);
    expect(applyChangeToList(untouched, {}, { kind: 'delete', taskId: a.id })).toBe(untouched);
  });
});
