import type { StreamedTask } from '@todo/api-client';
import { describe, expect, it } from 'vitest';
import { withKnownVersion } from '../src/stream/task-list-updates';
import { conflictRows } from '../src/tasks/task-conflict';
import { formValuesFromTask } from '../src/tasks/task-form-values';
import { aTask } from './support/tasks';

const zone = 'Europe/Paris';

describe('conflictRows', () => {
  const seen = aTask({ title: 'Plan', priority: 'low', version: 1 });

  it('shows each field either side changed that now differs, theirs beside yours', () => {
    const current = { ...seen, title: 'Plan (theirs)', priority: 'high' as const, version: 2 };
    const yours = { ...formValuesFromTask(seen, zone), title: 'Plan (mine)' };
    expect(conflictRows(seen, current, yours, zone)).toEqual([
      {
        field: 'title',
        label: 'Title',
        theirs: 'Plan (theirs)',
        yours: 'Plan (mine)',
        changedByYou: true,
      },
      { field: 'priority', label: 'Priority', theirs: 'high', yours: 'low', changedByYou: false },
    ]);
  });

  it('leaves out a field both changed the same way, and names an emptied one (none)', () => {
    const current = { ...seen, title: 'Same', description: 'theirs', version: 2 };
    const yours = { ...formValuesFromTask(seen, zone), title: 'Same' };
    expect(conflictRows(seen, current, yours, zone)).toEqual([
      expect.objectContaining({ field: 'description', theirs: 'theirs', yours: '(none)' }),
    ]);
  });

  it('shows a status changed elsewhere (done on another device)', () => {
    const current = { ...seen, status: 'done' as const, version: 2 };
    expect(conflictRows(seen, current, formValuesFromTask(seen, zone), zone)).toEqual([
      { field: 'status', label: 'Status', theirs: 'Done', yours: 'To do', changedByYou: false },
    ]);
  });
});

describe('withKnownVersion', () => {
  const cached = aTask({ version: 4, updated_at: '2026-03-01T10:00:00.000Z' });
  const { version: _version, ...streamed }: StreamedTask = cached;

  it('takes the version a streamed task carries', () => {
    expect(withKnownVersion({ ...cached, version: 5 }, cached)?.version).toBe(5);
    expect(withKnownVersion({ ...cached, version: 5 }, undefined)?.version).toBe(5);
  });

  it('keeps the cached version for the same state a change logged without one shows', () => {
    expect(withKnownVersion(streamed, cached)).toEqual(cached);
  });

  it('does not guess a version for another state, nor without a cached copy', () => {
    const newer = { ...streamed, updated_at: '2026-03-01T10:00:01.000Z' };
    expect(withKnownVersion(newer, cached)).toBeUndefined();
    expect(withKnownVersion(streamed, undefined)).toBeUndefined();
  });
});
