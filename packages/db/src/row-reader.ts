import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { columnsWithout } from './table-columns.js';

interface ReadColumn {
  key: string;
  name: string;
  column: PgColumn;
}

function readColumns(table: PgTable, omit: readonly string[]): ReadColumn[] {
  return Object.entries(columnsWithout(table, omit) as Record<string, PgColumn>).map(
    ([key, column]) => ({ key, name: column.name, column }),
  );
}

/**
 * A row with every key a reader writes, each null. Rows are spread copies of it, so each is
 * allocated once at its final size: a row built key by key from `{}` grew its property store six
 * times on the way to 20 columns, about 660 bytes per row against 200 (packages/bench README,
 * "Memory").
 */
function blankRow(keys: readonly string[]): Readonly<Record<string, null>> {
  return Object.fromEntries(keys.map((key) => [key, null]));
}

const driverValue = (column: PgColumn, value: unknown) =>
  value === null ? null : column.mapFromDriverValue(value);

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
  const columns = readColumns(table, omit);
  const blank = blankRow(columns.map(({ key }) => key));
  return (raw) => {
    const row: Record<string, unknown> = { ...blank };
    for (const { key, name, column } of columns) {
      const value = raw[name];
      if (value === undefined) throw new Error(`rowReader: the row has no column ${name}`);
      row[key] = driverValue(column, value);
    }
    return row as Omit<T['$inferSelect'], K>;
  };
}

/** What postgres.js's `.values()` gives: each row an array, the result's columns named. */
export interface ValuesResult extends ReadonlyArray<readonly unknown[]> {
  readonly columns: ReadonlyArray<{ readonly name: string }>;
}

/**
 * rowReader for rows as arrays (postgres.js's `.values()`, see queryValues): the same row type,
 * read by each column's position in the result. An array per row costs the driver about a fifth
 * of an object grown key by key (packages/bench README, "Memory"). `extra` names more of the
 * result's columns to carry as the driver gives them, under the given keys (a list page's sort
 * key), so every row keeps one shape.
 *
 * A column the result lacks is an error when the result is read, not a null per row.
 */
export function valuesReader<
  T extends PgTable,
  K extends keyof T['$inferSelect'] & string = never,
  E extends string = never,
>(
  table: T,
  omit: readonly K[] = [],
  extra: Readonly<Record<E, string>> = {} as Record<E, string>,
): (result: ValuesResult) => Array<Omit<T['$inferSelect'], K> & Record<E, unknown>> {
  const columns = readColumns(table, omit);
  const extras = Object.entries<string>(extra).map(([key, name]) => ({ key, name }));
  const blank = blankRow([...columns, ...extras].map(({ key }) => key));
  return (result) => {
    const position = new Map(result.columns.map(({ name }, index) => [name, index]));
    const at = (name: string) => {
      const index = position.get(name);
      if (index === undefined) throw new Error(`valuesReader: the result has no column ${name}`);
      return index;
    };
    const mapped = columns.map(({ key, name, column }) => ({ key, index: at(name), column }));
    const carried = extras.map(({ key, name }) => ({ key, index: at(name) }));
    return result.map((values) => {
      const row: Record<string, unknown> = { ...blank };
      for (const { key, index, column } of mapped) row[key] = driverValue(column, values[index]);
      for (const { key, index } of carried) row[key] = values[index];
      return row as Omit<T['$inferSelect'], K> & Record<E, unknown>;
    });
  };
}
