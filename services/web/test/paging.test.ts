import { describe, expect, it } from 'vitest';
import { PAGE_SIZE, pageInfo, pageWindow } from '../src/tasks/paging';

describe('paging', () => {
  it('asks for the window of a 1-based page', () => {
    expect(pageWindow(1)).toEqual({ limit: PAGE_SIZE, offset: 0 });
    expect(pageWindow(3)).toEqual({ limit: PAGE_SIZE, offset: 2 * PAGE_SIZE });
    expect(pageWindow(0)).toEqual({ limit: PAGE_SIZE, offset: 0 });
    expect(pageWindow(1.5)).toEqual({ limit: PAGE_SIZE, offset: 0 });
  });

  it('tells where a page sits in the list', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    expect(pageInfo({ total: 45, limit: 20, offset: 20, items })).toEqual({
      page: 2,
      pageCount: 3,
      hasPrevious: true,
      hasNext: true,
      first: 21,
      last: 40,
    });
    expect(pageInfo({ total: 45, limit: 20, offset: 40, items: items.slice(0, 5) })).toMatchObject({
      page: 3,
      hasNext: false,
      first: 41,
      last: 45,
    });
    expect(pageInfo({ total: 0, limit: 20, offset: 0, items: [] })).toMatchObject({
      pageCount: 1,
      hasPrevious: false,
      hasNext: false,
      first: 0,
      last: 0,
    });
  });

  it('offers a next page past a capped total while pages come full', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    expect(pageInfo({ total: 40, total_capped: true, limit: 20, offset: 20, items }).hasNext).toBe(
      true,
    );
    expect(pageInfo({ total: 40, limit: 20, offset: 20, items }).hasNext).toBe(false);
  });
});
