import { Link, useLocation, useSearchParams } from 'react-router';
import { describeError } from '../api/api-error';
import { useSignedIn } from '../auth/auth-context';
import { useNow } from '../time/use-now';
import { ErrorMessage } from '../ui/ErrorMessage';
import { listStateToSearch, parseListState, toListQuery, type ListState } from './list-query';
import { Pagination } from './Pagination';
import { TaskFilters } from './TaskFilters';
import { TaskItem } from './TaskItem';
import { useTaskList } from './task-queries';
import { ViewTabs } from './ViewTabs';

export function TaskListPage() {
  const { user } = useSignedIn();
  const [search, setSearch] = useSearchParams();
  const location = useLocation();
  const now = useNow();
  const state = parseListState(search);
  const list = useTaskList(toListQuery(state, user.timezone, now));
  const here = location.pathname + location.search;

  // Any change but the page's own starts again at the first page.
  const change = (next: Partial<ListState>) =>
    setSearch(listStateToSearch({ ...state, after: [], ...next }));

  return (
    <section>
      <div className="list-header">
        <h1>Tasks</h1>
        <Link className="button primary" to="/tasks/new" state={{ from: here }}>
          New task
        </Link>
      </div>
      <ViewTabs state={state} />
      <TaskFilters state={state} onChange={change} />
      {list.isError && !list.data && <ErrorMessage view={describeError(list.error)} />}
      {list.isError && list.data && (
        <p role="status" className="notice">
          Showing the last tasks loaded: {describeError(list.error).message}
        </p>
      )}
      {list.fetchStatus === 'paused' && (
        <p role="status" className="notice">
          Offline: the list updates when the connection is back.
        </p>
      )}
      {list.isPending && list.fetchStatus !== 'paused' && <p role="status">Loading tasks…</p>}
      {list.data && (
        <>
          {list.data.items.length === 0 ? (
            <p className="empty">No tasks here.</p>
          ) : (
            <ul className="task-list" aria-label="Tasks" aria-busy={list.isFetching}>
              {list.data.items.map((task) => (
                <TaskItem key={task.id} task={task} zone={user.timezone} now={now} from={here} />
              ))}
            </ul>
          )}
          <Pagination list={list.data} after={state.after} onPage={(after) => change({ after })} />
        </>
      )}
    </section>
  );
}
