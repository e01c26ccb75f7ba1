import { runMigrations } from '../../src/index.js';
import { migrationsThrough } from '../migration-test-databases.js';

/**
 * Applies the committed migrations up to and including `lastTag`, so a test can write rows as
 * they were before a later (data) migration and then run the rest with `runMigrations`.
 */
export async function migrateThrough(url: string, lastTag: string): Promise<void> {
  const { folder, remove } = await migrationsThrough(lastTag);
  try {
    // This package's runner: drizzle's migrate() cannot apply 0015 on (CREATE INDEX CONCURRENTLY).
    await runMigrations(url, { migrationsFolder: folder });
  } finally {
    await remove();
  }
}
