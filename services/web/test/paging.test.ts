import { describe, expect, it } from 'vitest';
import { PAGE_SIZE, pageInfo, pageWindow } from '../src/tasks/paging';

describe('paging by cursor', () => {
  it('asks for the first page without a cursor, then with the last cursor that led on', () => {
    expect(pageWindow([])).toEqual({ limit: PAGE_SIZE });
    expect(pageWindow(['c1', 'c2'])).toEqual({ limit: PAGE_SIZE, cursor: 'c2' });
  });

  const items = Array.from({ length: 20 }, (_, i) => i);

  it('pushes the next cursor for Next and pops the last one for Previous', () => {
    const info = pageInfo({ limit: 20, items, next_cursor: 'c2' }, ['c1']);
    expect(info).toEqual({
      page: 2,
      hasPrevious: true,
      hasNext: true,
      first: 21,
      last: 40,
      previous: [],
      next: ['c1', 'c2'],
    });
  });

  it('has no Next on the last page and no Previous on the first', () => {
    const last = pageInfo({ limit: 20, items: items.slice(0, 5), next_cursor: null }, ['c1', 'c2']);
    expect(last).toMatchObject({ page: 3, hasNext: false, next: undefined, first: 41, last: 45 });
    const first = pageInfo({ limit: 20, items, next_cursor: 'c1' }, []);
    expect(first).toMatchObject({ hasPrevious: false, previous: undefined, first: 1, last: 20 });
    const empty = pageInfo({ limit: 20, items: [], next_cursor: null }, []);
    expect(empty).toMatchObject({ hasNext: false, first: 0, last: 0 });
  });
});
