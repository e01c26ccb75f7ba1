import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

/** src/ and dist/ are both one level below the package root, where drizzle/ lives. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

/** Arbitrary but fixed: every replica contends for the same session-level advisory lock. */
const MIGRATION_LOCK_KEY = 4_711_020_611;

/**
 * Applies the committed SQL migrations. Safe when several replicas start at once: they queue on
 * one advisory lock, and each one after the first finds nothing left to apply. A single-connection
 * client keeps the lock and the migration on the same session.
 */
export async function runMigrations(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await client`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => undefined);
    await client.end({ timeout: 5 });
  }
}
