/** The list's sorts and their directions, shared by the query schema, the cursor and the SQL. */

export const TASK_SORT_FIELDS = [
  'created_at',
  'updated_at',
  'due_date',
  'priority',
  'title',
] as const;
export type TaskSortField = (typeof TASK_SORT_FIELDS)[number];

export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** Dates to come and names read first-to-last; everything else newest (or highest) first. */
export function effectiveOrder(sort: TaskSortField, order: SortOrder | undefined): SortOrder {
  return order ?? (sort === 'due_date' || sort === 'title' ? 'asc' : 'desc');
}
