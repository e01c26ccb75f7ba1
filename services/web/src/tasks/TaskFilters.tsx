import { useState, type FormEvent } from 'react';
import type { ListState } from './list-query';
import {
  PRIORITIES,
  SORT_FIELDS,
  SORT_LABELS,
  STATUS_LABELS,
  STATUSES,
  type TaskPriority,
  type TaskStatus,
} from './task-types';

const OPEN = 'pending,in_progress';

/** Search, filters and sort. Text applies on Enter (or the button); choices apply at once. */
export function TaskFilters({
  state,
  onChange,
}: {
  state: ListState;
  onChange: (next: Partial<ListState>) => void;
}) {
  const [q, setQ] = useState(state.q);
  const [tag, setTag] = useState(state.tag);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange({ q: q.trim(), tag: tag.trim() });
  };

  return (
    <form role="search" aria-label="Search and filter tasks" className="filters" onSubmit={submit}>
      <div className="field grow">
        <label htmlFor="filter-q">Search</label>
        <input
          id="filter-q"
          type="search"
          value={q}
          placeholder="Title or description"
          onChange={(e) => setQ(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="filter-tag">Tag</label>
        <input id="filter-tag" value={tag} onChange={(e) => setTag(e.target.value)} />
      </div>
      <button type="submit">Search</button>
      <div className="field">
        <label htmlFor="filter-status">Status</label>
        <select
          id="filter-status"
          value={state.status.join(',')}
          onChange={(e) =>
            onChange({ status: e.target.value ? (e.target.value.split(',') as TaskStatus[]) : [] })
          }
        >
          <option value="">Any</option>
          <option value={OPEN}>Open</option>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {STATUS_LABELS[status]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-priority">Priority</label>
        <select
          id="filter-priority"
          value={state.priority.join(',')}
          onChange={(e) =>
            onChange({ priority: e.target.value ? [e.target.value as TaskPriority] : [] })
          }
        >
          <option value="">Any</option>
          {PRIORITIES.map((priority) => (
            <option key={priority} value={priority}>
              {priority[0]!.toUpperCase() + priority.slice(1)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-sort">Sort by</label>
        <select
          id="filter-sort"
          value={state.sort ?? ''}
          onChange={(e) =>
            onChange({
              sort: (e.target.value || undefined) as ListState['sort'],
              order: undefined,
            })
          }
        >
          <option value="">Default</option>
          {SORT_FIELDS.map((field) => (
            <option key={field} value={field}>
              {SORT_LABELS[field]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-order">Order</label>
        <select
          id="filter-order"
          value={state.order ?? ''}
          onChange={(e) => onChange({ order: (e.target.value || undefined) as ListState['order'] })}
        >
          <option value="">Default</option>
          <option value="asc">Ascending</option>
          <option value="desc">Descending</option>
        </select>
      </div>
    </form>
  );
}
