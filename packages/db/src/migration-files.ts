import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';

/**
 * The first line of a migration that must run outside a transaction, statement by statement
 * (`CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `ALTER TYPE … ADD VALUE` before use).
 */
export const NO_TRANSACTION_MARKER = '-- migrate:no-transaction';

export interface MigrationFile {
  /** The journal's tag: the file name without `.sql`. */
  tag: string;
  /** The statements between drizzle-kit's `--> statement-breakpoint` separators. */
  statements: string[];
  /** sha256 of the whole file, as drizzle records it. */
  hash: string;
  /** The journal's `when`: drizzle records it as `created_at` and applies what is newer. */
  createdAt: number;
  /** False when the file's first line is NO_TRANSACTION_MARKER. */
  transactional: boolean;
}

/**
 * Reads a drizzle-kit migrations folder with drizzle's own reader, so statements, hashes and
 * timestamps are exactly what drizzle's migrator would record, and adds what it leaves out: the
 * tag (for messages) and whether the migration asked to run outside a transaction.
 */
export function readMigrationFolder(folder: string): MigrationFile[] {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries: Array<{ tag: string }>;
  };
  return readMigrationFiles({ migrationsFolder: folder }).map((migration, index) => {
    const tag = journal.entries[index]!.tag;
    const firstLine = migration.sql[0]?.split('\n', 1)[0]?.trim() ?? '';
    return {
      tag,
      statements: migration.sql.filter((statement) => statement.trim() !== ''),
      hash: migration.hash,
      createdAt: migration.folderMillis,
      transactional: firstLine !== NO_TRANSACTION_MARKER,
    };
  });
}
