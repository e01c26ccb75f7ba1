/**
 * How the list pages through tasks. Offset paging for now (`limit` + `offset`); switching to the
 * list's cursors changes this module only: the page asks for `pageWindow(page)` and shows
 * `pageInfo(list)`.
 */
export const PAGE_SIZE = 20;

export interface PageWindow {
  limit: number;
  offset: number;
}

/** The request window of 1-based page `page`. */
export function pageWindow(page: number): PageWindow {
  const safe = Number.isInteger(page) && page > 0 ? page : 1;
  return { limit: PAGE_SIZE, offset: (safe - 1) * PAGE_SIZE };
}

export interface PageInfo {
  page: number;
  pageCount: number;
  hasPrevious: boolean;
  hasNext: boolean;
  /** 1-based positions of the first and last item shown; 0 and 0 when empty. */
  first: number;
  last: number;
}

/** Where a page of the list sits, from its answer. */
export function pageInfo(list: {
  total: number;
  limit: number;
  offset: number;
  items: unknown[];
  /** The API stops counting at a cap: `total` is then a lower bound. */
  total_capped?: boolean | undefined;
}): PageInfo {
  const page = Math.floor(list.offset / list.limit) + 1;
  const pageCount = Math.max(1, Math.ceil(list.total / list.limit));
  return {
    page,
    pageCount,
    hasPrevious: list.offset > 0,
    hasNext:
      list.offset + list.items.length < list.total ||
      (list.total_capped === true && list.items.length === list.limit),
    first: list.items.length ? list.offset + 1 : 0,
    last: list.offset + list.items.length,
  };
}
