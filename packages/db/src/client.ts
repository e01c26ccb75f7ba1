import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { preparingStatements } from './prepare-statements.js';
import * as schema from './schema.js';

/** drizzle's database, with the postgres.js client it runs on (queryRows, run-query.ts). */
export type Database = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** A database handle or an open transaction: repositories accept either. */
export type Executor = Database | Transaction;

export interface DatabaseConnection {
  db: Database;
  /** The underlying postgres.js client, for health checks and LISTEN/NOTIFY. */
  client: postgres.Sql;
  /** Resolves once the server answers a query (a service's readiness check); rejects if not. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export interface CreateDatabaseOptions {
  /** Pool size. */
  max?: number;
  /** Shown in pg_stat_activity, so operators can tell the services apart. */
  applicationName?: string;
  /** How long to wait for a new connection before failing the query (postgres.js default 30). */
  connectTimeoutSeconds?: number;
  /**
   * PostgreSQL's statement_timeout for this pool's sessions (lock waits included), so a statement
   * stuck behind a lock fails instead of holding its connection indefinitely. Unset: the server's.
   */
  statementTimeoutMs?: number;
  /**
   * PostgreSQL's plan_cache_mode for this pool's sessions. The pool prepares every statement, and
   * after five runs PostgreSQL may plan a prepared statement once for all parameters (a generic
   * plan); `force_custom_plan` plans each run for its own values. Unset: the server's (`auto`).
   */
  planCacheMode?: 'auto' | 'force_custom_plan' | 'force_generic_plan';
  /**
   * Wraps the client drizzle runs on (what the service's queries and transactions go through),
   * e.g. to count them for pool-use metrics; `client` stays the unwrapped one.
   */
  instrument?: (client: postgres.Sql) => postgres.Sql;
}

/**
 * Seconds before a connection retries after failing to connect: exponential with jitter, capped at
 * two seconds. postgres.js's default grows to 20 s and counts failures across the whole pool, so a
 * busy service kept waiting up to 20 s after PostgreSQL was back from a one-second restart.
 */
function reconnectDelaySeconds(attempt: number): number {
  return Math.min(0.05 * 2 ** attempt, 2) * (0.5 + Math.random() / 2);
}

export function createDatabase(
  url: string,
  options: CreateDatabaseOptions = {},
): DatabaseConnection {
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    ...(options.connectTimeoutSeconds ? { connect_timeout: options.connectTimeoutSeconds } : {}),
    backoff: reconnectDelaySeconds,
    connection: {
      application_name: options.applicationName ?? 'todo',
      // The timestamptz reader (timestamptz.ts) parses PostgreSQL's ISO output; another DateStyle
      // set on the server or role would make every timestamp unreadable.
      DateStyle: 'ISO, MDY',
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
      ...(options.planCacheMode ? { plan_cache_mode: options.planCacheMode } : {}),
    },
  });
  return {
    db: drizzle(preparingStatements(options.instrument?.(client) ?? client), { schema }),
    client,
    ready: async () => {
      await client`SELECT 1`;
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/** The same server and credentials, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
