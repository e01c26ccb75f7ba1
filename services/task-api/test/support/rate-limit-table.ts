import type { TestDatabase } from '@todo/db/testing';

/**
 * The table PostgresRateLimitStore counts in, exactly as requested for a packages/db migration
 * (see the README, Rate limits). Until that migration exists, test databases get it here; once it
 * does, this is a no-op and can go.
 */
export const RATE_LIMIT_TABLE_SQL = `
CREATE UNLOGGED TABLE IF NOT EXISTS rate_limit_hits (
  key text PRIMARY KEY,
  hits integer NOT NULL,
  reset_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS rate_limit_hits_reset_at_idx ON rate_limit_hits (reset_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON rate_limit_hits TO todo_task_api;
`;

export async function ensureRateLimitTable(client: TestDatabase['client']): Promise<void> {
  await client.unsafe(RATE_LIMIT_TABLE_SQL);
}
