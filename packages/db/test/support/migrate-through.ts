import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { migrationsThrough } from '../migration-test-databases.js';

/**
 * Applies the committed migrations up to and including `lastTag`, so a test can write rows as
 * they were before a later (data) migration and then run the rest with `runMigrations`.
 */
export async function migrateThrough(url: string, lastTag: string): Promise<void> {
  const { folder, remove } = await migrationsThrough(lastTag);
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(client), { migrationsFolder: folder });
  } finally {
    await client.end({ timeout: 5 });
    await remove();
  }
}
