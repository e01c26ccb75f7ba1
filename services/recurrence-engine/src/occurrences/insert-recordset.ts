import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from '@todo/db';

/**
 * A multi-row INSERT whose rows travel as ONE jsonb parameter, unpacked by
 * `jsonb_to_recordset` in their order. drizzle's `.values(rows)` binds one parameter per row and
 * column (a batch of 100 children is ~1,700 parameters) and builds its SQL by walking every one
 * of them through its entity checks: profiled, that was the largest part of the engine's CPU
 * per completion in a bulk delivery. Here the statement text depends only on the columns named.
 *
 * The rows are the same as drizzle's: values are JSON-encoded as drizzle's columns send them
 * (a Date as its ISO 8601 instant, a jsonb column's object as JSON, a text[] as a JSON array,
 * which PostgreSQL converts to the column's array type). Every row gives every column named
 * (null for NULL): where drizzle would write DEFAULT for an undefined value, this throws.
 * Only for columns whose values JSON states exactly: text, uuid, enums, integers, timestamptz,
 * text[] and jsonb (no bigint, no binary).
 */
export async function insertRecordset<T extends PgTable>(
  db: Executor,
  table: T,
  keys: Array<keyof T['$inferInsert'] & string>,
  rows: Array<T['$inferInsert']>,
  tail: SQL = sql``,
): Promise<Array<Record<string, unknown>>> {
  return (await db.execute(recordsetInsert(table, keys, rows, { tail }))) as unknown as Array<
    Record<string, unknown>
  >;
}

/**
 * {@link insertRecordset}'s statement, unrun: to be one part of a larger statement (a CTE, or the
 * statement its CTEs lead to). `gate`: a condition on nothing in the rows, such as an
 * uncorrelated subquery, which PostgreSQL evaluates once before it produces the first row. It
 * makes the insert wait for what the subquery does (a lock) where CTE order alone would not.
 */
export function recordsetInsert<T extends PgTable>(
  table: T,
  keys: Array<keyof T['$inferInsert'] & string>,
  rows: Array<T['$inferInsert']>,
  options: { tail?: SQL; gate?: SQL } = {},
): SQL {
  const columns = getTableColumns(table);
  const named = keys.map((key) => columns[key]!);
  const list = sql.join(
    named.map((column) => sql.identifier(column.name)),
    sql`, `,
  );
  const definition = sql.raw(
    named.map((column) => `"${column.name}" ${column.getSQLType()}`).join(', ') +
      ', "#position" bigint',
  );
  const payload = JSON.stringify(
    rows.map((row, position) => {
      const json: Record<string, unknown> = { '#position': position };
      for (const [i, key] of keys.entries()) {
        const value = (row as Record<string, unknown>)[key];
        // drizzle would write DEFAULT there; JSON would make it NULL. Refuse rather than differ.
        if (value === undefined) throw new Error(`insertRecordset: no value for ${key}`);
        json[named[i]!.name] = value;
      }
      return json;
    }),
  );
  return sql`
    INSERT INTO ${table} (${list})
    SELECT ${list} FROM jsonb_to_recordset(${sql.param(payload)}::jsonb) AS r(${definition})
    ${options.gate ? sql`WHERE ${options.gate}` : sql``}
    ORDER BY "#position"
    ${options.tail ?? sql``}`;
}
