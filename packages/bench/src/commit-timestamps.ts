import { rm } from 'node:fs/promises';
import { startEmbeddedPostgres, type RunningPostgres } from '@todo/embedded-postgres';
import postgres from 'postgres';

/**
 * An embedded PostgreSQL that records when each transaction commits (`track_commit_timestamp`),
 * so a benchmark can time from a commit itself rather than from `now()`, which is the
 * transaction's start. The setting is read only at server start, and the embedded server takes
 * no settings, so it is written with ALTER SYSTEM and the server started again on the same data.
 */
export async function startPostgresWithCommitTimestamps(dataDir: string): Promise<RunningPostgres> {
  // Persistent for now, so stopping it keeps the cluster for the second start.
  const first = await startEmbeddedPostgres({ dataDir, persistent: true });
  try {
    await withClient(first.url, (sql) => sql`ALTER SYSTEM SET track_commit_timestamp = on`);
  } finally {
    await first.stop();
  }
  let server: RunningPostgres;
  try {
    // Not persistent: stopping this one deletes the cluster.
    server = await startEmbeddedPostgres({ dataDir, persistent: false });
  } catch (error) {
    await rm(first.dataDir, { recursive: true, force: true });
    await rm(`${dataDir}.password`, { force: true });
    throw error;
  }
  const setting = await withClient(
    server.url,
    (sql) => sql<[{ value: string }]>`SELECT current_setting('track_commit_timestamp') AS value`,
  ).catch((error: unknown) => [{ value: String(error) }]);
  if (setting[0]?.value !== 'on') {
    await server.stop();
    throw new Error(`track_commit_timestamp is not on after the restart: ${setting[0]?.value}`);
  }
  return server;
}

async function withClient<T>(url: string, work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end();
  }
}

/**
 * When the transaction that wrote each change-log row committed (epoch ms, microsecond
 * precision), by seq: the instant the change became visible, from which a stream can deliver it.
 */
export async function changeCommitTimes(
  sql: postgres.Sql,
  seqs: string[],
): Promise<Map<string, number>> {
  const rows = await sql<{ seq: string; committed_ms: number }[]>`
    SELECT seq::text AS seq,
           (extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000)::float8 AS committed_ms
      FROM task_changes
     WHERE seq = ANY(${seqs}::bigint[])`;
  return new Map(rows.map((row) => [row.seq, row.committed_ms]));
}
