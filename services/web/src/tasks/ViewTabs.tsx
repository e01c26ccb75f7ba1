import { Link } from 'react-router';
import { listStateToSearch, VIEW_LABELS, VIEWS, type ListState } from './list-query';

/** Today, Upcoming, Overdue and All, as links (the view is part of the URL). */
export function ViewTabs({ state }: { state: ListState }) {
  return (
    <nav aria-label="Views" className="views">
      {VIEWS.map((view) => (
        <Link
          key={view}
          to={{ search: listStateToSearch({ ...state, view, after: [] }).toString() }}
          aria-current={state.view === view ? 'page' : undefined}
        >
          {VIEW_LABELS[view]}
        </Link>
      ))}
    </nav>
  );
}
