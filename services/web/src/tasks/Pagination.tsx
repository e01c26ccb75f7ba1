import type { TaskList } from '@todo/api-client';
import { pageInfo } from './paging';

export function Pagination({ list, onPage }: { list: TaskList; onPage: (page: number) => void }) {
  const info = pageInfo(list);
  if (list.total === 0) return null;
  return (
    <nav aria-label="Pages" className="pagination">
      <button type="button" disabled={!info.hasPrevious} onClick={() => onPage(info.page - 1)}>
        Previous
      </button>
      <span>
        {info.first}–{info.last} of {list.total}
        {/* A capped total counts up to the cap: there are more. */}
        {list.total_capped ? '+' : ''}
      </span>
      <button type="button" disabled={!info.hasNext} onClick={() => onPage(info.page + 1)}>
        Next
      </button>
    </nav>
  );
}
