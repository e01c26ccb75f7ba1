import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import postgres from 'postgres';
import { MIGRATIONS_FOLDER, runMigrations } from '../src/index.js';
import type { TestDatabase } from '../src/testing/index.js';
import {
  createEmptyDatabase,
  drizzleMigrate,
  migrationsThrough,
} from './migration-test-databases.js';

/** A release before the list indexes (0010): the upgrade these tests make is a real one. */
const OLDER_RELEASE_LAST_TAG = '0009_stream_and_sessions';
/**
 * The last migration drizzle's migrate() can apply: 0015 builds its indexes CONCURRENTLY
 * (`-- migrate:no-transaction`), which drizzle's one transaction refuses. The runners take turns
 * up to here, and runMigrations applies the rest.
 */
const DRIZZLE_RUNS_THROUGH_TAG = '0014_outbox_notify_producer';

/** The bookkeeping rows and the public schema's columns and indexes, to compare databases. */
async function fingerprint(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const applied = await sql`
      SELECT hash, created_at::text FROM drizzle.__drizzle_migrations ORDER BY id`;
    const columns = await sql`
      SELECT table_name, column_name, data_type, column_default, is_nullable
      FROM information_schema.columns WHERE table_schema = 'public'
      ORDER BY table_name, column_name`;
    const indexes = await sql`
      SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`;
    return { applied: [...applied], columns: [...columns], indexes: [...indexes] };
  } finally {
    await sql.end();
  }
}

describe('runMigrations and drizzle-orm migrate() take turns on one database', () => {
  const databases: TestDatabase[] = [];
  /** Drizzle through the last migration it can run, then runMigrations. */
  let byDrizzleThenRunner: Awaited<ReturnType<typeof fingerprint>>;

  async function emptyDatabase(): Promise<TestDatabase> {
    const database = await createEmptyDatabase();
    databases.push(database);
    return database;
  }

  let drizzleFolder: Awaited<ReturnType<typeof migrationsThrough>>;

  beforeAll(async () => {
    drizzleFolder = await migrationsThrough(DRIZZLE_RUNS_THROUGH_TAG);
    const reference = await emptyDatabase();
    await drizzleMigrate(reference.url, drizzleFolder.folder);
    await runMigrations(reference.url);
    byDrizzleThenRunner = await fingerprint(reference.url);
  });
  afterAll(async () => {
    await drizzleFolder?.remove();
    await Promise.all(databases.map((database) => database.drop()));
  });

  it('cannot apply an online index build with drizzle, so runMigrations applies it', async () => {
    const database = await emptyDatabase();
    await expect(drizzleMigrate(database.url, MIGRATIONS_FOLDER)).rejects.toThrow(
      /cannot run inside a transaction block|Failed query: -- migrate:no-transaction/,
    );
    await runMigrations(database.url);
    expect(await fingerprint(database.url)).toEqual(byDrizzleThenRunner);
  });

  it('records every migration as drizzle does: its file hash and journal `when`', () => {
    const expected = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).map((m) => ({
      hash: m.hash,
      created_at: String(m.folderMillis),
    }));
    expect(byDrizzleThenRunner.applied).toEqual(expected);
  });

  it('carries on a database an older release migrated with drizzle', async () => {
    const database = await emptyDatabase();
    const older = await migrationsThrough(OLDER_RELEASE_LAST_TAG);
    try {
      await drizzleMigrate(database.url, older.folder);
    } finally {
      await older.remove();
    }
    await runMigrations(database.url);
    expect(await fingerprint(database.url)).toEqual(byDrizzleThenRunner);
  });

  it('leaves a database that drizzle carries on (a rollback to the older runner)', async () => {
    const database = await emptyDatabase();
    const older = await migrationsThrough(OLDER_RELEASE_LAST_TAG);
    try {
      await runMigrations(database.url, { migrationsFolder: older.folder });
    } finally {
      await older.remove();
    }
    await drizzleMigrate(database.url, drizzleFolder.folder);
    await runMigrations(database.url);
    expect(await fingerprint(database.url)).toEqual(byDrizzleThenRunner);
  });

  it('finds nothing to do where the other runner finished, and neither does drizzle', async () => {
    const database = await emptyDatabase();
    await drizzleMigrate(database.url, drizzleFolder.folder);
    await runMigrations(database.url);
    expect(await fingerprint(database.url)).toEqual(byDrizzleThenRunner);

    const other = await emptyDatabase();
    await runMigrations(other.url);
    await drizzleMigrate(other.url, drizzleFolder.folder);
    expect(await fingerprint(other.url)).toEqual(byDrizzleThenRunner);
  });
});
