import { getTableColumns } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

/**
 * A table's columns but `omit`, keyed as drizzle keys them: for `select(…)` and `returning(…)`,
 * and for the readers that must expect exactly the columns a statement names.
 */
export function columnsWithout<T extends PgTable, K extends string>(
  table: T,
  omit: readonly K[],
): Omit<T['_']['columns'], K> {
  const skipped: readonly string[] = omit;
  return Object.fromEntries(
    Object.entries(getTableColumns(table)).filter(([key]) => !skipped.includes(key)),
  ) as Omit<T['_']['columns'], K>;
}
