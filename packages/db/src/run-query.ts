import type postgres from 'postgres';
import type { Database } from './client.js';
import type { ValuesResult } from './row-reader.js';
import type { RenderedQuery } from './statement-template.js';

/**
 * A statement that failed, named as drizzle names its failures ("Failed query: …", the driver's
 * error as `cause`) but without the values, which hold users' data (a search text, an id).
 */
export class QueryError extends Error {
  constructor(
    readonly query: string,
    cause: unknown,
  ) {
    super(`Failed query: ${query}`, { cause });
    this.name = 'QueryError';
  }
}

async function run<T>(query: RenderedQuery, running: Promise<T>): Promise<T> {
  try {
    return await running;
  } catch (error) {
    throw new QueryError(query.sql, error);
  }
}

const paramsOf = (query: RenderedQuery) => query.params as postgres.ParameterOrJSON<never>[];

/**
 * A rendered statement (fillQuery) run on drizzle's own client, so it is prepared, traced and
 * counted as drizzle's queries are (createDatabase wraps that client), without drizzle's
 * rendering and row mapping. Each row keyed by column name, each value as the driver gives it.
 */
export function queryRows(
  db: Database,
  query: RenderedQuery,
): Promise<Array<Record<string, unknown>>> {
  return run(query, db.$client.unsafe(query.sql, paramsOf(query)));
}

/** queryRows with each row an array in the result's column order (valuesReader reads them). */
export function queryValues(db: Database, query: RenderedQuery): Promise<ValuesResult> {
  return run(query, db.$client.unsafe(query.sql, paramsOf(query)).values());
}
