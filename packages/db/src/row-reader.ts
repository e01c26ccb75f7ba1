import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { columnsWithout } from './table-columns.js';

/**
 * Reads rows as `db.execute` returns them (keyed by column name, each value as the driver gives
 * it) into the table's row type, exactly as drizzle's own select maps them: every column through
 * its `mapFromDriverValue` (timestamptz.ts's reader, jsonb, arrays), NULL as null. Built once per
 * table. drizzle's mapping checks each cell's entity kind and walks a path per field, which made
 * it a tenth of task-api's CPU per list page (50 rows × 20 columns); this is a plain loop.
 *
 * A column the raw row lacks is an error, not a null: the statement did not select it.
 */
export function rowReader<T extends PgTable, K extends keyof T['$inferSelect'] & string = never>(
  table: T,
  /** Columns the statements read by this reader leave out (tasks' search-only copies). */
  omit: readonly K[] = [],
): (raw: Record<string, unknown>) => Omit<T['$inferSelect'], K> {
  const columns = Object.entries(columnsWithout(table, omit) as Record<string, PgColumn>).map(
    ([key, column]) => ({ key, name: column.name, column }),
  );
  return (raw) => {
    const row: Record<string, unknown> = {};
    for (const { key, name, column } of columns) {
      const value = raw[name];
      if (value === undefined) throw new Error(`rowReader: the row has no column ${name}`);
      row[key] = value === null ? null : column.mapFromDriverValue(value);
    }
    return row as Omit<T['$inferSelect'], K>;
  };
}
