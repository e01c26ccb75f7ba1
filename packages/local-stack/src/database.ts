import { join } from 'node:path';
import { createMigratedDatabase, runMigrations } from '@todo/db';
import { startEmbeddedPostgres } from '@todo/embedded-postgres';
import { DATA_DIR } from './paths.js';

const DEV_DATABASE = 'todo';
const DEV_PORT = 54329;

export interface DevDatabase {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/** DATABASE_URL when set; otherwise an embedded PostgreSQL whose data survives restarts. */
export async function startDevDatabase(log: (line: string) => void): Promise<DevDatabase> {
  if (process.env.DATABASE_URL) {
    log('using DATABASE_URL');
    await runMigrations(process.env.DATABASE_URL);
    return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  }
  const dataDir = join(DATA_DIR, 'postgres');
  log(`DATABASE_URL is not set: starting embedded PostgreSQL (data in ${dataDir})`);
  const server = await startEmbeddedPostgres({
    dataDir,
    persistent: true,
    port: Number(process.env.DEV_POSTGRES_PORT ?? DEV_PORT),
  });
  // As root, with the checkout under a folder PostgreSQL's user cannot traverse, the cluster
  // lives under $TMPDIR instead: whoever wants to inspect or delete it must be told where.
  if (server.dataDir !== dataDir)
    log(
      `PostgreSQL's user cannot reach ${dataDir}: the data is in ${server.dataDir} instead ` +
        '(delete it to start from an empty database)',
    );
  try {
    const url = await createMigratedDatabase(server.url, DEV_DATABASE, { ifExists: 'keep' });
    log(`PostgreSQL ready on 127.0.0.1:${server.port}, migrations applied`);
    return { url, embedded: true, stop: () => server.stop() };
  } catch (error) {
    // The caller reports the error and exits at once: stopped here, and waited for until gone.
    await server.stop().catch((stopError: unknown) => {
      log(`could not stop PostgreSQL (pid ${server.pid}): ${String(stopError)}`);
    });
    throw error;
  }
}
