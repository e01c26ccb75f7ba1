import { fileURLToPath } from 'node:url';
import postgres, { type Sql } from 'postgres';
import { readMigrationFolder, type MigrationFile } from './migration-files.js';
import { dropInvalidIndexBefore } from './migration-invalid-index.js';
import { ensureJournalTable, pendingMigrations, recordApplied } from './migration-journal.js';
import { withMigrationLock } from './migration-lock.js';

/** src/ and dist/ are both one level below the package root, where drizzle/ lives. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

export interface RunMigrationsOptions {
  /** A drizzle-kit migrations folder (with meta/_journal.json); the committed one by default. */
  migrationsFolder?: string;
}

/**
 * Applies the pending migrations, each in its own transaction, or statement by statement outside
 * any transaction when its first line is `-- migrate:no-transaction` (so `CREATE INDEX
 * CONCURRENTLY` can build an index without blocking writes). Safe when several replicas start at
 * once: they queue on one advisory lock, and each one after the first finds nothing left to apply.
 * The bookkeeping is drizzle's own table, so drizzle's migrator and this one can take turns.
 */
export async function runMigrations(
  url: string,
  options: RunMigrationsOptions = {},
): Promise<void> {
  const migrations = readMigrationFolder(options.migrationsFolder ?? MIGRATIONS_FOLDER);
  // One connection: the session lock, the statements and the bookkeeping share a session.
  const sql = postgres(url, {
    max: 1,
    onnotice: () => {},
    connection: { application_name: 'todo-migrate' },
  });
  try {
    await withMigrationLock(sql, async () => {
      await ensureJournalTable(sql);
      for (const migration of await pendingMigrations(sql, migrations)) {
        await applyMigration(sql, migration);
      }
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function applyMigration(sql: Sql, migration: MigrationFile): Promise<void> {
  try {
    if (migration.transactional) {
      await sql.begin(async (tx) => {
        for (const statement of migration.statements) await tx.unsafe(statement);
        await recordApplied(tx, migration);
      });
      return;
    }
    // Recorded only after its last statement, so a failure part-way runs it all again: every
    // statement of such a migration must be safe to repeat (IF NOT EXISTS, IF EXISTS).
    for (const statement of migration.statements) {
      await dropInvalidIndexBefore(sql, statement);
      await sql.unsafe(statement);
    }
    await recordApplied(sql, migration);
  } catch (error) {
    throw new Error(`migration ${migration.tag} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
