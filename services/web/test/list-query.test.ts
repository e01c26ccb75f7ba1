import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIST_STATE,
  listStateToSearch,
  parseListState,
  toListQuery,
} from '../src/tasks/list-query';
import { PAGE_SIZE } from '../src/tasks/paging';

const now = new Date('2026-03-02T10:15:42Z');

describe('the list state in the URL', () => {
  it('round-trips through the search string, leaving defaults out', () => {
    const state = {
      ...DEFAULT_LIST_STATE,
      view: 'today' as const,
      q: 'plants',
      status: ['pending' as const, 'done' as const],
      priority: ['high' as const],
      tag: 'home',
      sort: 'title' as const,
      order: 'desc' as const,
      after: ['c1', 'c/2+'],
    };
    const search = listStateToSearch(state);
    expect(search.toString()).toBe(
      'view=today&q=plants&status=pending%2Cdone&priority=high&tag=home&sort=title&order=desc&after=c1&after=c%2F2%2B',
    );
    expect(parseListState(search)).toEqual(state);
    expect(listStateToSearch(DEFAULT_LIST_STATE).toString()).toBe('');
  });

  it('drops what it does not know instead of sending it to the API', () => {
    const state = parseListState(
      new URLSearchParams('view=someday&status=pending,nope&sort=random&order=up&after='),
    );
    expect(state).toEqual({ ...DEFAULT_LIST_STATE, status: ['pending'] });
  });
});

describe('toListQuery', () => {
  it('sends the filters and the page’s cursor', () => {
    const query = toListQuery(
      { ...DEFAULT_LIST_STATE, q: 'plants', status: ['done'], tag: 'home', after: ['c1'] },
      'UTC',
      now,
    );
    expect(query).toEqual({
      q: 'plants',
      status: 'done',
      tag: 'home',
      limit: PAGE_SIZE,
      cursor: 'c1',
    });
  });

  it('makes Today the zone’s calendar day, open tasks by due date', () => {
    expect(toListQuery({ ...DEFAULT_LIST_STATE, view: 'today' }, 'Europe/Paris', now)).toEqual({
      status: 'pending,in_progress',
      sort: 'due_date',
      due_after: '2026-03-02T00:00:00+01:00',
      due_before: '2026-03-03T00:00:00+01:00',
      limit: PAGE_SIZE,
    });
  });

  it('makes Upcoming start tomorrow and Overdue end now, to the minute', () => {
    expect(toListQuery({ ...DEFAULT_LIST_STATE, view: 'upcoming' }, 'UTC', now)).toMatchObject({
      due_after: '2026-03-03T00:00:00Z',
    });
    const overdue = toListQuery({ ...DEFAULT_LIST_STATE, view: 'overdue' }, 'UTC', now);
    expect(overdue).toMatchObject({ due_before: '2026-03-02T10:15:00Z' });
    expect(overdue.due_after).toBeUndefined();
    // The same query a few seconds later: the cache entry stays the same.
    expect(
      toListQuery(
        { ...DEFAULT_LIST_STATE, view: 'overdue' },
        'UTC',
        new Date('2026-03-02T10:15:59Z'),
      ),
    ).toEqual(overdue);
  });

  it('lets the user’s status and sort win over the view’s', () => {
    expect(
      toListQuery(
        { ...DEFAULT_LIST_STATE, view: 'today', status: ['done'], sort: 'priority' },
        'UTC',
        now,
      ),
    ).toMatchObject({ status: 'done', sort: 'priority' });
  });
});
