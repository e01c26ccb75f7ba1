import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import postgres, { type Sql } from 'postgres';
import { eventually } from '@todo/service-runtime/testing';
import { runMigrations } from '../src/index.js';
import type { TestDatabase } from '../src/testing/index.js';
import {
  createEmptyDatabase,
  fixtureMigrations,
  migrationsThrough,
} from './migration-test-databases.js';

async function indexValid(sql: Sql, name: string): Promise<boolean | undefined> {
  const [row] = await sql<{ valid: boolean }[]>`
    SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass(${name})`;
  return row?.valid;
}

async function buildInProgress(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ building: boolean }[]>`
    SELECT EXISTS (SELECT FROM pg_stat_progress_create_index
      WHERE relid = to_regclass('fixture_readings')) AS building`;
  return row!.building;
}

/** Lock requests on the fixture table that are waiting, by mode. */
async function waitingLocks(sql: Sql): Promise<string[]> {
  const rows = await sql<{ mode: string }[]>`
    SELECT mode FROM pg_locks
    WHERE relation = to_regclass('fixture_readings') AND NOT granted ORDER BY mode`;
  return rows.map((row) => row.mode);
}

async function appliedHashes(sql: Sql): Promise<string[]> {
  const rows = await sql<{ hash: string }[]>`
    SELECT hash FROM drizzle.__drizzle_migrations ORDER BY created_at`;
  return rows.map((row) => row.hash);
}

describe('runMigrations: a migration marked -- migrate:no-transaction', () => {
  let database: TestDatabase;
  let observer: Sql;
  let writer: Sql;
  let releaseOpenTransaction: () => void;
  let openTransaction: Promise<unknown>;

  /**
   * Applies the fixture's first migration (the table), then opens a transaction that has written
   * to it and stays open until released: every index build on the table has to wait for it, which
   * keeps the build in progress for as long as the test needs.
   */
  async function readingsTableWithOpenWrite(fixture: string): Promise<void> {
    const through = await migrationsThrough('0000_readings', fixtureMigrations(fixture));
    try {
      await runMigrations(database.url, { migrationsFolder: through.folder });
    } finally {
      await through.remove();
    }
    let inserted!: () => void;
    const insertedPromise = new Promise<void>((resolve) => (inserted = resolve));
    openTransaction = writer.begin(async (tx) => {
      await tx`INSERT INTO fixture_readings (value) VALUES (-1)`;
      inserted();
      await new Promise<void>((resolve) => (releaseOpenTransaction = resolve));
    });
    await insertedPromise;
  }

  beforeEach(async () => {
    database = await createEmptyDatabase();
    observer = postgres(database.url, { max: 1, onnotice: () => {} });
    writer = postgres(database.url, { max: 2, onnotice: () => {} });
    releaseOpenTransaction = () => {};
    openTransaction = Promise.resolve();
  });
  afterEach(async () => {
    releaseOpenTransaction();
    await openTransaction.catch(() => undefined);
    await writer.end();
    await observer.end();
    await database.drop();
  });

  it('builds its index CONCURRENTLY while another connection inserts into the table', async () => {
    await readingsTableWithOpenWrite('online-index');
    const order: string[] = [];
    const migrating = runMigrations(database.url, {
      migrationsFolder: fixtureMigrations('online-index'),
    }).then(() => order.push('migration finished'));

    await eventually(() => buildInProgress(observer), { what: 'the index build to start' });
    await writer`INSERT INTO fixture_readings (value) VALUES (-2)`;
    order.push('insert committed');
    // The insert returned while the build was still running: writes were not blocked by it.
    expect(await buildInProgress(observer)).toBe(true);

    releaseOpenTransaction();
    await migrating;
    expect(order).toEqual(['insert committed', 'migration finished']);
    expect(await indexValid(observer, 'fixture_readings_value_idx')).toBe(true);
    expect(await appliedHashes(observer)).toHaveLength(2);
    const [negatives] = await observer<{ n: number }[]>`
      SELECT count(*)::int AS n FROM fixture_readings WHERE value < 0`;
    expect(negatives!.n).toBe(2);
  });

  it('(the contrast) a plain CREATE INDEX in a transactional migration makes inserts wait', async () => {
    await readingsTableWithOpenWrite('blocking-index');
    const migrating = runMigrations(database.url, {
      migrationsFolder: fixtureMigrations('blocking-index'),
    });
    await eventually(async () => (await waitingLocks(observer)).includes('ShareLock'), {
      what: 'CREATE INDEX to queue for its ShareLock',
    });
    const insert = writer`INSERT INTO fixture_readings (value) VALUES (-2)`.execute();
    // The insert queues behind the build's lock request: blocked until the build commits.
    await eventually(async () => (await waitingLocks(observer)).includes('RowExclusiveLock'), {
      what: 'the insert to wait for the index build',
    });

    releaseOpenTransaction();
    await Promise.all([migrating, insert]);
    expect(await indexValid(observer, 'fixture_readings_value_idx')).toBe(true);
  });

  it('drops the INVALID index a failed concurrent build left, so the fixed re-run succeeds', async () => {
    const folder = fixtureMigrations('unique-index');
    await expect(runMigrations(database.url, { migrationsFolder: folder })).rejects.toThrow(
      /0001_readings_value_unique failed: could not create unique index/,
    );
    expect(await indexValid(observer, 'fixture_readings_value_unique')).toBe(false);
    expect(await appliedHashes(observer)).toHaveLength(1);

    // The fix: the duplicates go (in real life, by a data migration or an operator).
    await observer`DELETE FROM fixture_readings WHERE id > 1000`;
    await runMigrations(database.url, { migrationsFolder: folder });

    expect(await indexValid(observer, 'fixture_readings_value_unique')).toBe(true);
    expect(await appliedHashes(observer)).toHaveLength(2);
  });

  it('applies it once when several replicas migrate at the same time', async () => {
    await readingsTableWithOpenWrite('online-index');
    const folder = fixtureMigrations('online-index');
    const replicas = [1, 2, 3].map(() => runMigrations(database.url, { migrationsFolder: folder }));
    // One replica builds the index while the others wait for the migration lock. Blocked in
    // pg_advisory_lock, a waiting replica would hold a snapshot the build waits for: deadlock.
    await eventually(
      async () => {
        const [row] = await observer<{ n: number }[]>`
          SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'todo-migrate'`;
        return row!.n === 3 && (await buildInProgress(observer));
      },
      { what: 'one replica building, two waiting' },
    );

    releaseOpenTransaction();
    await Promise.all(replicas);
    expect(await indexValid(observer, 'fixture_readings_value_idx')).toBe(true);
    const hashes = await appliedHashes(observer);
    expect(hashes).toHaveLength(2);
    expect(new Set(hashes).size).toBe(2);
  });
});
