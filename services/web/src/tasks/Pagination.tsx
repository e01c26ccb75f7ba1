import type { TaskList } from '@todo/api-client';
import { pageInfo } from './paging';

export function Pagination({
  list,
  after,
  onPage,
}: {
  list: TaskList;
  /** The cursors that led to this page. */
  after: readonly string[];
  onPage: (after: string[]) => void;
}) {
  const info = pageInfo(list, after);
  if (list.total === 0 && !info.hasPrevious) return null;
  return (
    <nav aria-label="Pages" className="pagination">
      <button
        type="button"
        disabled={!info.previous}
        onClick={() => info.previous && onPage(info.previous)}
      >
        Previous
      </button>
      <span>
        {info.first}–{info.last} of {list.total}
        {/* A capped total counts up to the cap: there are more. */}
        {list.total_capped ? '+' : ''}
      </span>
      <button type="button" disabled={!info.next} onClick={() => info.next && onPage(info.next)}>
        Next
      </button>
    </nav>
  );
}
