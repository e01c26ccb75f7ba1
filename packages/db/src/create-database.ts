import postgres from 'postgres';
import { withDatabase } from './client.js';
import { runMigrations } from './migrate.js';

/** `name` as a PostgreSQL identifier, whatever it contains. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Runs `work` on a one-connection client to the server's maintenance database, then closes it. */
export async function withAdminClient<T>(
  adminUrl: string,
  work: (admin: postgres.Sql) => Promise<T>,
): Promise<T> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

export interface CreateMigratedDatabaseOptions {
  /**
   * When a database of that name exists already: `fail` (the default) lets CREATE DATABASE fail,
   * `keep` migrates it as it is (a dev database that survives restarts), `replace` drops it
   * first (a template left by an earlier run).
   */
  ifExists?: 'fail' | 'keep' | 'replace';
}

/**
 * Creates database `name` on the server `adminUrl` points at and applies the migrations to it;
 * returns its URL (same server and credentials). The name is quoted, so capitals and hyphens are
 * kept, but limited to what a URL path carries unescaped: postgres.js does not decode it.
 */
export async function createMigratedDatabase(
  adminUrl: string,
  name: string,
  options: CreateMigratedDatabaseOptions = {},
): Promise<string> {
  if (!/^[\w$.-]+$/.test(name))
    throw new Error(`database name ${JSON.stringify(name)}: use letters, digits and _ $ . - only`);
  const ifExists = options.ifExists ?? 'fail';
  await withAdminClient(adminUrl, async (admin) => {
    if (ifExists === 'replace')
      await admin.unsafe(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`);
    if (ifExists === 'keep') {
      const exists = await admin`SELECT 1 FROM pg_database WHERE datname = ${name}`;
      if (exists.length > 0) return;
    }
    await admin.unsafe(`CREATE DATABASE ${quoteIdentifier(name)}`);
  });
  const url = withDatabase(adminUrl, name);
  await runMigrations(url);
  return url;
}
