import type { Sql, TransactionSql } from 'postgres';
import type { MigrationFile } from './migration-files.js';

/**
 * drizzle's bookkeeping table, created and written exactly as drizzle-orm's migrator does
 * (pg-core/dialect.js), so a database migrated by either runner carries on with the other.
 */
export async function ensureJournalTable(sql: Sql): Promise<void> {
  await sql`CREATE SCHEMA IF NOT EXISTS drizzle`;
  await sql`
    CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (
      id SERIAL PRIMARY KEY,
      hash text NOT NULL,
      created_at bigint
    )`;
}

/**
 * drizzle's rule for what is pending: every migration whose journal `when` is later than the
 * newest `created_at` recorded (not a comparison of hashes), kept so both runners agree.
 */
export async function pendingMigrations(
  sql: Sql,
  migrations: MigrationFile[],
): Promise<MigrationFile[]> {
  const [last] = await sql<{ created_at: string | null }[]>`
    SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1`;
  if (!last) return migrations;
  const appliedUpTo = Number(last.created_at);
  return migrations.filter((migration) => appliedUpTo < migration.createdAt);
}

export async function recordApplied(
  sql: Sql | TransactionSql,
  migration: MigrationFile,
): Promise<void> {
  await sql`
    INSERT INTO drizzle.__drizzle_migrations (hash, created_at)
    VALUES (${migration.hash}, ${migration.createdAt})`;
}
