import { join } from 'node:path';
import { createDatabase, createMigratedDatabase } from '@todo/db';
import type { TestDatabase } from '@todo/db/testing';
import { startEmbeddedPostgres, type RunningPostgres } from '@todo/embedded-postgres';
import postgres from 'postgres';

export interface OwnDatabase {
  database: TestDatabase;
  restart: (downMs: number) => Promise<void>;
  /** The postmaster's pid now (a restart changes it); its backends are its children. */
  pid: () => number;
}

/**
 * A PostgreSQL server of the stack's own, restartable on the same port and data. Its stop is in
 * `started` from the moment it runs, so a failure while preparing it stops it too.
 *
 * `commitTimestamps` turns on `track_commit_timestamp`, so a benchmark can read when each
 * transaction committed (`pg_xact_commit_timestamp(xmin)`) rather than `now()`, its start. The
 * setting is read only at server start and the embedded server takes no settings, so it is
 * written with ALTER SYSTEM and the server started again on the same data and port.
 */
export async function ownDatabase(
  dir: string,
  started: Array<() => Promise<unknown>>,
  options: { commitTimestamps?: boolean } = {},
): Promise<OwnDatabase> {
  const dataDir = join(dir, 'postgres');
  let server: RunningPostgres = await startEmbeddedPostgres({ dataDir, persistent: true });
  started.push(() => server.stop());
  const port = server.port;
  if (options.commitTimestamps) {
    await withSuperuser(server.url, (sql) => sql`ALTER SYSTEM SET track_commit_timestamp = on`);
    await server.stop();
    server = await startEmbeddedPostgres({ dataDir, persistent: true, port });
    const [setting] = await withSuperuser(
      server.url,
      (sql) => sql<[{ value: string }]>`SELECT current_setting('track_commit_timestamp') AS value`,
    );
    if (setting?.value !== 'on')
      throw new Error(`track_commit_timestamp is not on after the restart: ${setting?.value}`);
  }
  const url = await createMigratedDatabase(server.url, 'todo');
  const connection = createDatabase(url, { max: 5, applicationName: 'todo-e2e' });
  started.push(() => connection.close());
  const database: TestDatabase = {
    ...connection,
    url,
    name: 'todo',
    drop: async () => {
      await connection.close();
      await server.stop();
    },
  };
  return {
    database,
    pid: () => server.pid,
    async restart(downMs: number) {
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      server = await startEmbeddedPostgres({ dataDir, persistent: true, port });
    },
  };
}

async function withSuperuser<T>(url: string, work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end();
  }
}
