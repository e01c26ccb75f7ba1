/**
 * How the list pages through tasks: by the API's cursors. Each page after the first is asked for
 * with the `next_cursor` of the page before it, so a deep page costs what the first does and
 * tasks created meanwhile neither shift nor repeat pages. `after` is the stack of cursors that led
 * to the page shown (empty on the first page): Next pushes the page's `next_cursor`, Previous pops.
 */
export const PAGE_SIZE = 20;

export interface PageWindow {
  limit: number;
  cursor?: string;
}

/** The request for the page the cursors in `after` lead to. */
export function pageWindow(after: readonly string[]): PageWindow {
  const cursor = after[after.length - 1];
  return cursor === undefined ? { limit: PAGE_SIZE } : { limit: PAGE_SIZE, cursor };
}

export interface PageInfo {
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  /** 1-based positions of the first and last item shown; 0 and 0 when empty. */
  first: number;
  last: number;
  /** The cursors of the previous and the next page, when there is one. */
  previous: string[] | undefined;
  next: string[] | undefined;
}

/**
 * Where a page of the list sits, from its answer and the cursors that led to it. The pages
 * before were full when they were read, so the first item's position is counted from them.
 */
export function pageInfo(
  list: { limit: number; items: unknown[]; next_cursor: string | null },
  after: readonly string[],
): PageInfo {
  const page = after.length + 1;
  const skipped = after.length * list.limit;
  return {
    page,
    hasPrevious: after.length > 0,
    hasNext: list.next_cursor !== null,
    first: list.items.length ? skipped + 1 : 0,
    last: skipped + list.items.length,
    previous: after.length > 0 ? after.slice(0, -1) : undefined,
    next: list.next_cursor !== null ? [...after, list.next_cursor] : undefined,
  };
}
