import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from './client.js';
import { rowReader } from './row-reader.js';
import { columnsWithout } from './table-columns.js';

/**
 * INSERT ... RETURNING that names only the columns given a value. drizzle lists every column
 * (as DEFAULT when unset), and PostgreSQL checks INSERT privilege on every listed column, so a role
 * with column-level grants (task-api may not write parent_task_id or series_id) could not insert
 * through it at all.
 */
export async function insertGivenColumns<
  T extends PgTable,
  K extends keyof T['$inferSelect'] & string = never,
>(
  db: Executor,
  table: T,
  values: T['$inferInsert'],
  /** Columns the returned row leaves out (tasks' search-only copies). */
  omit: readonly K[] = [],
): Promise<Omit<T['$inferSelect'], K>> {
  const columns = getTableColumns(table);
  const returned = Object.values(columnsWithout(table, omit) as Record<string, PgColumn>).map(
    (column) => sql.identifier(column.name),
  );
  const given = Object.entries(values as Record<string, unknown>).filter(
    ([, value]) => value !== undefined,
  );
  const names: SQL[] = given.map(([key]) => sql`${sql.identifier(columns[key]!.name)}`);
  const params: SQL[] = given.map(([key, value]) => sql`${sql.param(value, columns[key])}`);
  const result = await db.execute(
    sql`INSERT INTO ${table} (${sql.join(names, sql`, `)}) VALUES (${sql.join(params, sql`, `)}) RETURNING ${sql.join(returned, sql`, `)}`,
  );
  return rowReader(table, omit)((result as unknown as Array<Record<string, unknown>>)[0]!);
}
