import type postgres from 'postgres';
import type { Database } from './client.js';
import type { ValuesResult } from './row-reader.js';
import type { RenderedQuery } from './statement-template.js';

const paramsOf = (query: RenderedQuery) => query.params as postgres.ParameterOrJSON<never>[];

/**
 * A rendered statement (fillQuery) run on drizzle's own client, so it is prepared, traced and
 * counted as drizzle's queries are (createDatabase wraps that client), without drizzle's
 * rendering and row mapping. Each row keyed by column name, each value as the driver gives it.
 */
export async function queryRows(
  db: Database,
  query: RenderedQuery,
): Promise<Array<Record<string, unknown>>> {
  return db.$client.unsafe(query.sql, paramsOf(query));
}

/** queryRows with each row an array in the result's column order (valuesReader reads them). */
export async function queryValues(db: Database, query: RenderedQuery): Promise<ValuesResult> {
  return db.$client.unsafe(query.sql, paramsOf(query)).values();
}
