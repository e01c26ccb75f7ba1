import type { CreateDatabaseOptions } from '@todo/db';

/**
 * task-api's pool settings beyond size and name.
 *
 * Every statement is planned for its own values. The pool prepares statements, and after five runs
 * PostgreSQL may switch a prepared statement to one generic plan, made for a user of average size
 * (the table's rows over its users). For the list with a tag or a word, that is the few matching
 * rows by the GIN index, then sorted, which for a user with 200,000 tasks sorts tens of thousands
 * (105 ms for a common tag instead of 0.5 by the ordered scan). Set on the session rather than by
 * `SET LOCAL` in a transaction around each list: that cost the list four round trips instead of
 * two, a third more of task-api's CPU per list (packages/bench README, capacity levers). Planning
 * every run costs a fraction of a millisecond, paid by task-api's other statements too.
 */
export const TASK_API_DATABASE_OPTIONS = {
  planCacheMode: 'force_custom_plan',
} as const satisfies Omit<CreateDatabaseOptions, 'max' | 'applicationName' | 'instrument'>;
